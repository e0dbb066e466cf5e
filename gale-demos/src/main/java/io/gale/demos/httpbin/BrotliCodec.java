package io.gale.demos.httpbin;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Brotli compression for {@code /brotli} through Brotli4j (Google's C encoder over JNI; a pure-Java
 * Brotli encoder is not maintained anywhere we know of). The native library is loaded once, on
 * first use; if the platform has none, every call says so. Thread-safe.
 */
final class BrotliCodec {
    private BrotliCodec() {
    }

    /** Holder: loads the native library when first touched. */
    private static final class Native {
        static final Throwable UNAVAILABLE = load();

        private static Throwable load() {
            try {
                Brotli4jLoader.ensureAvailability();
                return null;
            } catch (Throwable t) { // UnsatisfiedLinkError on a platform without a native build
                return t;
            }
        }
    }

    /**
     * Brotli of {@code data} at quality 4 (the web servers' usual on-the-fly level).
     *
     * @throws UnsupportedOperationException if Brotli4j has no native library for this platform
     */
    static byte[] compress(byte[] data) {
        if (Native.UNAVAILABLE != null) {
            throw new UnsupportedOperationException("Brotli is not available on this platform: " + Native.UNAVAILABLE);
        }
        try {
            return Encoder.compress(data, new Encoder.Parameters().setQuality(4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
