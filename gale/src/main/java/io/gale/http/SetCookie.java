package io.gale.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One {@code Set-Cookie} response header value (RFC 6265 and its successors), validated when
 * built so that a cookie can never smuggle a header or attribute into a response.
 *
 * <p>Immutable and thread-safe; the {@link Builder} is not thread-safe.
 *
 * <pre>{@code
 * SetCookie c = SetCookie.builder("session", token)
 *         .path("/").secure(true).httpOnly(true).sameSite(SetCookie.SameSite.LAX)
 *         .maxAge(Duration.ofDays(30)).build();
 * response.addHeader("Set-Cookie", c.headerValue());
 * }</pre>
 *
 * <p>Validation ({@link IllegalArgumentException}): the name must be a token; the value must
 * be cookie-octets, optionally wrapped in one pair of double quotes (no controls, space,
 * {@code " , ; \} or non-ASCII; encode such data, e.g. base64url, first); domain and path must
 * be printable ASCII without {@code ;}, space or comma. Rules that browsers enforce by silently
 * dropping the cookie are reported here instead: {@code SameSite=None} and
 * {@code Partitioned} need {@code Secure}; the {@code __Secure-} prefix needs {@code Secure};
 * the {@code __Host-} prefix needs {@code Secure}, {@code Path=/} and no {@code Domain}.
 */
public final class SetCookie {
    /** The {@code SameSite} attribute values. */
    public enum SameSite {
        /** {@code SameSite=Strict}: sent on requests from this site only. */
        STRICT("Strict"),
        /** {@code SameSite=Lax}: also sent on top-level navigations from other sites. */
        LAX("Lax"),
        /** {@code SameSite=None}: sent on every request (needs {@code Secure}). */
        NONE("None");

        private final String text;

        SameSite(String text) {
            this.text = text;
        }

        /**
         * The attribute value as sent: {@code Strict}, {@code Lax} or {@code None}.
         *
         * @return the attribute value as sent: {@code Strict}, {@code Lax} or {@code None}
         */
        public String text() {
            return text;
        }
    }

    private final String name;
    private final String value;
    private final String headerValue;

    private SetCookie(String name, String value, String headerValue) {
        this.name = name;
        this.value = value;
        this.headerValue = headerValue;
    }

    /**
     * Starts a cookie; the name and value are validated by {@link Builder#build()}.
     *
     * @param name the name
     * @param value the value
     * @return a new builder
     */
    public static Builder builder(String name, String value) {
        return new Builder(name, value);
    }

    /**
     * The cookie name.
     *
     * @return the cookie name
     */
    public String name() {
        return name;
    }

    /**
     * The cookie value, as sent.
     *
     * @return the cookie value, as sent
     */
    public String value() {
        return value;
    }

    /**
     * The complete {@code Set-Cookie} header value.
     *
     * @return the complete {@code Set-Cookie} header value
     */
    public String headerValue() {
        return headerValue;
    }

    @Override
    public String toString() {
        return headerValue;
    }

    /** Collects the attributes of a {@link SetCookie}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String value;
        private String domain;
        private String path;
        private Instant expires;
        private Long maxAgeSeconds;
        private boolean secure;
        private boolean httpOnly;
        private SameSite sameSite;
        private boolean partitioned;

        private Builder(String name, String value) {
            this.name = Objects.requireNonNull(name, "name");
            this.value = Objects.requireNonNull(value, "value");
        }

        /**
         * {@code Domain=}; {@code null} removes it.
         *
         * @param domain the domain
         * @return this builder
         */
        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        /**
         * {@code Path=}; {@code null} removes it.
         *
         * @param path the path
         * @return this builder
         */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /**
         * {@code Expires=} as an IMF-fixdate; {@code null} removes it.
         *
         * @param expires the expires
         * @return this builder
         */
        public Builder expires(Instant expires) {
            this.expires = expires;
            return this;
        }

        /**
         * {@code Max-Age=} in whole seconds; zero or negative expires the cookie at once; {@code null} removes it.
         *
         * @param maxAge the max age
         * @return this builder
         */
        public Builder maxAge(Duration maxAge) {
            this.maxAgeSeconds = maxAge == null ? null : maxAge.getSeconds();
            return this;
        }

        /**
         * {@code Secure}.
         *
         * @param secure true for secure
         * @return this builder
         */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /**
         * {@code HttpOnly}.
         *
         * @param httpOnly true for HTTP only
         * @return this builder
         */
        public Builder httpOnly(boolean httpOnly) {
            this.httpOnly = httpOnly;
            return this;
        }

        /**
         * {@code SameSite=}; {@code null} removes it.
         *
         * @param sameSite the same site
         * @return this builder
         */
        public Builder sameSite(SameSite sameSite) {
            this.sameSite = sameSite;
            return this;
        }

        /**
         * {@code Partitioned} (CHIPS).
         *
         * @param partitioned true for partitioned
         * @return this builder
         */
        public Builder partitioned(boolean partitioned) {
            this.partitioned = partitioned;
            return this;
        }

        /**
         * Validates and formats the cookie.
         *
         * @return the set cookie
         */
        public SetCookie build() {
            if (!TokenChars.isToken(name)) throw new IllegalArgumentException("cookie name is not a token: " + printable(name));
            if (!isCookieValue(value)) throw new IllegalArgumentException("invalid cookie value for " + name);
            checkAttribute("Domain", domain, false);
            checkAttribute("Path", path, true);
            if (sameSite == SameSite.NONE && !secure) throw new IllegalArgumentException("SameSite=None requires Secure");
            if (partitioned && !secure) throw new IllegalArgumentException("Partitioned requires Secure");
            if (name.regionMatches(true, 0, "__Secure-", 0, 9) && !secure) {
                throw new IllegalArgumentException("__Secure- cookies require Secure");
            }
            if (name.regionMatches(true, 0, "__Host-", 0, 7) && (!secure || domain != null || !"/".equals(path))) {
                throw new IllegalArgumentException("__Host- cookies require Secure, Path=/ and no Domain");
            }
            StringBuilder sb = new StringBuilder(64 + name.length() + value.length());
            sb.append(name).append('=').append(value);
            if (domain != null) sb.append("; Domain=").append(domain);
            if (path != null) sb.append("; Path=").append(path);
            if (expires != null) sb.append("; Expires=").append(HttpDates.format(expires));
            if (maxAgeSeconds != null) sb.append("; Max-Age=").append(Math.max(0, maxAgeSeconds));
            if (secure) sb.append("; Secure");
            if (httpOnly) sb.append("; HttpOnly");
            if (sameSite != null) sb.append("; SameSite=").append(sameSite.text());
            if (partitioned) sb.append("; Partitioned");
            return new SetCookie(name, value, sb.toString());
        }

        private static void checkAttribute(String what, String v, boolean allowEmpty) {
            if (v == null) return;
            if (v.isEmpty() && !allowEmpty) throw new IllegalArgumentException(what + " is empty");
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c <= ' ' || c >= 0x7f || c == ';' || c == ',') {
                    throw new IllegalArgumentException(what + " contains a forbidden character: " + printable(v));
                }
            }
        }
    }

    /** RFC 6265 section 4.1.1: {@code *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )}. */
    static boolean isCookieValue(String v) {
        int from = 0;
        int to = v.length();
        if (to >= 2 && v.charAt(0) == '"' && v.charAt(to - 1) == '"') {
            from = 1;
            to--;
        }
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') return false;
        }
        return true;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (c < ' ' || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
