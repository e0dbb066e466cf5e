package io.gale.http2;

/**
 * The {@code HTTP2-Settings} field of an HTTP/1.1 {@code Upgrade: h2c} request (RFC 7540 section
 * 3.2.1): a SETTINGS frame payload, base64url-encoded with the trailing {@code '='} omitted. It
 * carries the client's settings for the connection the upgrade creates; the server applies them
 * as if they had come in a SETTINGS frame, without an acknowledgement (the client's preface sends
 * its SETTINGS again, and that frame is acknowledged).
 *
 * <p><b>What is accepted.</b> Optional whitespace around the value, the base64url alphabet
 * ({@code A-Z a-z 0-9 - _}) in whole groups of eight characters (six octets, one parameter: RFC
 * 9113 section 6.5 makes a SETTINGS payload of another length a FRAME_SIZE_ERROR; whole groups
 * never need the {@code '='} padding, so any {@code '='} is refused too), at most
 * {@link #MAX_LENGTH} characters, and each known parameter valid by
 * {@link Http2Settings#validate} (unknown ids are ignored, section 6.5.2). An empty value is
 * valid: no parameter differs from its initial value. Anything else is {@link #malformed()}, and
 * the server then does not upgrade (section 3.2.1: it must not upgrade without exactly one valid
 * field).
 *
 * <p>Public (in this non-exported package) for the server's upgrade in {@code io.gale.http}.
 * Immutable once decoded.
 */
public final class Http2SettingsHeader {
    /**
     * Longest value accepted, in characters: 8 KiB, room for 1,365 parameters, where a client
     * has nine to send; a longer value is malformed rather than decoded.
     */
    public static final int MAX_LENGTH = 8192;

    private final Http2Settings settings;
    private final String malformed;

    private Http2SettingsHeader(Http2Settings settings, String malformed) {
        this.settings = settings;
        this.malformed = malformed;
    }

    /** Decodes one field value; never throws for malformed input (see {@link #malformed()}). */
    public static Http2SettingsHeader decode(String value) {
        if (value == null) {
            return bad("no HTTP2-Settings field");
        }
        int from = 0;
        int to = value.length();
        while (from < to && isOws(value.charAt(from))) {
            from++;
        }
        while (to > from && isOws(value.charAt(to - 1))) {
            to--;
        }
        int chars = to - from;
        if (chars > MAX_LENGTH) {
            return bad("HTTP2-Settings longer than " + MAX_LENGTH + " characters");
        }
        // Six octets per parameter are eight base64 characters: a valid value is whole groups of
        // eight, so it never has a cut quantum, padding or spare bits to check.
        if (chars % 8 != 0) {
            return bad("HTTP2-Settings is not a SETTINGS payload: " + chars
                + " characters are not whole 6-octet parameters");
        }
        int bytes = chars / 4 * 3;
        byte[] payload = new byte[bytes];
        int n = 0;
        for (int i = from; i < to; i += 4) {
            int q = 0;
            for (int k = 0; k < 4; k++) {
                int d = digit(value.charAt(i + k));
                if (d < 0) {
                    return bad("HTTP2-Settings is not base64url: character 0x"
                        + Integer.toHexString(value.charAt(i + k)));
                }
                q = (q << 6) | d;
            }
            payload[n++] = (byte) (q >>> 16);
            payload[n++] = (byte) (q >>> 8);
            payload[n++] = (byte) q;
        }
        Http2Settings s = new Http2Settings();
        for (int p = 0; p < bytes; p += Http2Settings.ENTRY_LENGTH) {
            int id = ((payload[p] & 0xff) << 8) | (payload[p + 1] & 0xff);
            long v = ((long) (payload[p + 2] & 0xff) << 24) | ((payload[p + 3] & 0xff) << 16)
                | ((payload[p + 4] & 0xff) << 8) | (payload[p + 5] & 0xff);
            if (!Http2Settings.isKnown(id)) {
                continue; // section 6.5.2
            }
            Http2Error e = Http2Settings.validate(id, v, false);
            if (e != null) {
                return bad("HTTP2-Settings: " + e.reason());
            }
            s.set(id, v);
        }
        return new Http2SettingsHeader(s, null);
    }

    private static Http2SettingsHeader bad(String why) {
        return new Http2SettingsHeader(null, why);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static int digit(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }

    /** Why the value cannot be used, or null when it decoded to valid settings. */
    public String malformed() {
        return malformed;
    }

    /** The decoded parameters; null when malformed. */
    Http2Settings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return malformed != null ? "HTTP2-Settings[malformed: " + malformed + "]" : "HTTP2-Settings" + settings;
    }
}
