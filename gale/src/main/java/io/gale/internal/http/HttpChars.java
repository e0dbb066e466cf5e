package io.gale.internal.http;

/**
 * Character classes of RFC 9110/9112 as lookup tables over bytes (0-255). Stateless.
 */
public final class HttpChars {
    private HttpChars() {
    }

    private static final boolean[] TCHAR = new boolean[256];
    /** field-vchar / SP / HTAB: what may appear inside a field value. */
    private static final boolean[] FIELD_VALUE = new boolean[256];
    /** What we accept in a request-target: visible ASCII except '#'. */
    private static final boolean[] TARGET = new boolean[256];
    /** Characters of uri-host [":" port] in a Host field (RFC 3986 reg-name, IP literals). */
    private static final boolean[] HOST = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        FIELD_VALUE['\t'] = true;
        for (int c = 0x20; c < 256; c++) {
            FIELD_VALUE[c] = c != 0x7F;
        }
        for (int c = 0x21; c < 0x7F; c++) {
            TARGET[c] = c != '#';
        }
        for (int c = 0; c < 128; c++) {
            HOST[c] = Character.isLetterOrDigit(c);
        }
        for (char c : "-._~%!$&'()*+,;=:[]".toCharArray()) {
            HOST[c] = true;
        }
    }

    public static boolean isTchar(int b) {
        return TCHAR[b & 0xFF];
    }

    /**
     * RFC 9110 section 5.5: {@code field-vchar / SP / HTAB}, i.e. HTAB, 0x20-0x7E and obs-text
     * 0x80-0xFF. The one rule for field values (and reason phrases, the same set), used on what the
     * parsers read and on what {@link HttpHeaders} accepts for writing: no CR, LF, NUL or other
     * control, so no value can split or smuggle a message.
     */
    public static boolean isFieldValueChar(int b) {
        return FIELD_VALUE[b & 0xFF];
    }

    /** Whether every char of {@code s} is a {@link #isFieldValueChar field-value character} (so none is above 0xFF). */
    public static boolean isFieldValue(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c > 0xFF || !FIELD_VALUE[c]) {
                return false;
            }
        }
        return true;
    }

    public static boolean isTargetChar(int b) {
        return TARGET[b & 0xFF];
    }

    public static boolean isHostChar(int b) {
        return HOST[b & 0xFF];
    }

    public static int hexValue(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int l = b | 0x20;
        if (l >= 'a' && l <= 'f') {
            return l - 'a' + 10;
        }
        return -1;
    }
}
