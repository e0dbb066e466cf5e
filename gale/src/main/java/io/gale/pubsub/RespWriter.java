package io.gale.pubsub;

import java.nio.charset.StandardCharsets;

/**
 * Encodes commands as RESP2 arrays of bulk strings, the one form a client sends
 * ({@code *2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nroom\r\n}).
 */
final class RespWriter {
    private RespWriter() {
    }

    /** One command whose arguments are strings (encoded as UTF-8). */
    static byte[] command(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return command(bytes);
    }

    /** One command whose arguments are byte strings. */
    static byte[] command(byte[]... args) {
        int size = header(args.length).length + 3; // '*' digits CRLF
        for (byte[] a : args) {
            size += header(a.length).length + 3 + a.length + 2; // '$' digits CRLF data CRLF
        }
        byte[] out = new byte[size];
        int p = put(out, 0, '*', args.length);
        for (byte[] a : args) {
            p = put(out, p, '$', a.length);
            System.arraycopy(a, 0, out, p, a.length);
            p += a.length;
            out[p++] = '\r';
            out[p++] = '\n';
        }
        return out;
    }

    private static byte[] header(int n) {
        return Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static int put(byte[] out, int p, char type, int n) {
        out[p++] = (byte) type;
        byte[] digits = header(n);
        System.arraycopy(digits, 0, out, p, digits.length);
        p += digits.length;
        out[p++] = '\r';
        out[p++] = '\n';
        return p;
    }
}
