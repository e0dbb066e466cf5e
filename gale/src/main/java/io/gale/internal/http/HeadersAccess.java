package io.gale.internal.http;

import io.gale.http.HttpHeaders;
import java.lang.invoke.MethodHandles;

/**
 * The parser's unchecked fast paths into {@link HttpHeaders} and the known-name table, which stay
 * package-private in the exported {@code io.gale.http} (they skip validation the parser has already
 * done, so they are not API). {@code HttpHeaders} installs the implementation when it initialises,
 * as the JDK's {@code SharedSecrets} do; callers keep it in a {@code static final} field, so the
 * calls are monomorphic and inlined.
 */
public final class HeadersAccess {
    /** The operations {@code io.gale.http} lends the codec. */
    public interface Access {
        /** Appends a field line whose name and value are already valid. */
        void addUnchecked(HttpHeaders headers, String name, String value);

        /** Replaces the value of the last field line (unfolding obs-fold in responses). */
        void setLastValue(HttpHeaders headers, String value);

        /** Index (in field lines) of the first field named {@code name} at or after {@code from}, or -1. */
        int indexOf(HttpHeaders headers, String name, int from);

        /** The canonical constant for the token bytes {@code a[off, off+len)} if it is a known name, else null. */
        String knownName(byte[] a, int off, int len);
    }

    private static volatile Access access;

    private HeadersAccess() {
    }

    /**
     * Called once, from {@code HttpHeaders}' static initialiser.
     *
     * @param implementation the package's implementation
     */
    public static void install(Access implementation) {
        if (access != null) {
            throw new IllegalStateException("already installed");
        }
        access = implementation;
    }

    /**
     * Returns the implementation, initialising {@code HttpHeaders} first if nothing has yet.
     *
     * @return the implementation
     */
    public static Access get() {
        Access a = access;
        if (a == null) {
            try {
                MethodHandles.lookup().ensureInitialized(HttpHeaders.class);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }
}
