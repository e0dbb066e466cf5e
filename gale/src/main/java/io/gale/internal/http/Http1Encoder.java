package io.gale.internal.http;

import io.gale.http.HttpHeaders;
import io.gale.http.HttpStatus;
import io.gale.http.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;


/**
 * Encodes HTTP/1.1 message heads: status line or request line, then field lines, then the empty
 * line. Stateless and thread-safe.
 *
 * <pre>{@code
 * HttpHeaders h = new HttpHeaders().set("Content-Length", "5");
 * ByteBuffer head = Http1Encoder.encodeResponseHead(HttpVersion.HTTP_1_1, 200, null, h);
 * }</pre>
 *
 * Status lines of common codes are precomputed. Header names and values were validated by
 * {@link HttpHeaders} (its one value rule admits nothing above 0xFF, so they are copied as they
 * are); reason phrases, methods and targets are validated here, so nothing written can split a
 * message. Strings are written as ISO-8859-1 (one byte per char).
 */
public final class Http1Encoder {
    private Http1Encoder() {
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[][] STATUS_11 = new byte[600][];
    private static final byte[][] STATUS_10 = new byte[600][];

    static {
        for (int code = 100; code < 600; code++) {
            String reason = HttpStatus.reasonPhrase(code);
            if (reason != null) {
                STATUS_11[code] = ("HTTP/1.1 " + code + " " + reason + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                STATUS_10[code] = ("HTTP/1.0 " + code + " " + reason + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /**
     * The exact number of bytes {@link #writeResponseHead} writes.
     *
     * @param version the HTTP version
     * @param status the status code
     * @param reason the reason phrase, or null for the standard one
     * @param headers the headers
     * @return the exact number of bytes {@link #writeResponseHead} writes
     */
    public static int responseHeadSize(HttpVersion version, int status, String reason, HttpHeaders headers) {
        byte[] pre = reason == null ? precomputed(version, status) : null;
        int n = pre != null ? pre.length : 13 + reasonOrDefault(status, reason).length() + 2;
        return n + headersSize(headers) + 2;
    }

    /**
     * Writes the status line, fields and the empty line into {@code out}.
     *
     * @param out where to write
     * @param version the HTTP version
     * @param status the status code
     * @param reason the reason phrase, or null for the standard one of {@code status}
     * @param headers the headers
     * @throws java.nio.BufferOverflowException if {@code out} has less room than {@link #responseHeadSize}
     * @throws IllegalArgumentException if the status is not 100-999 or the reason holds CTLs
     */
    public static void writeResponseHead(ByteBuffer out, HttpVersion version, int status, String reason,
                                         HttpHeaders headers) {
        byte[] pre = reason == null ? precomputed(version, status) : null;
        if (pre != null) {
            out.put(pre);
        } else {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("status " + status);
            }
            String r = reasonOrDefault(status, reason);
            checkReason(r);
            putAscii(out, version.text());
            out.put((byte) ' ');
            out.put((byte) ('0' + status / 100)).put((byte) ('0' + status / 10 % 10)).put((byte) ('0' + status % 10));
            out.put((byte) ' ');
            putAscii(out, r);
            out.put(CRLF);
        }
        writeFields(out, headers);
    }

    /**
     * Encodes a response head into a new heap buffer of exact size, ready to write (flipped).
     *
     * @param version the HTTP version
     * @param status the status code
     * @param reason the reason phrase
     * @param headers the headers
     * @return the encoded byte buffer
     */
    public static ByteBuffer encodeResponseHead(HttpVersion version, int status, String reason, HttpHeaders headers) {
        ByteBuffer b = ByteBuffer.allocate(responseHeadSize(version, status, reason, headers));
        writeResponseHead(b, version, status, reason, headers);
        return b.flip();
    }

    /**
     * The exact number of bytes {@link #writeRequestHead} writes.
     *
     * @param method the HTTP method
     * @param target the request target
     * @param version the HTTP version
     * @param headers the headers
     * @return the exact number of bytes {@link #writeRequestHead} writes
     */
    public static int requestHeadSize(String method, String target, HttpVersion version, HttpHeaders headers) {
        return method.length() + 1 + target.length() + 1 + 8 + 2 + headersSize(headers) + 2;
    }

    /**
     * Writes a request line, fields and the empty line into {@code out} (client side).
     *
     * @param out where to write
     * @param method the HTTP method
     * @param target the request target
     * @param version the HTTP version
     * @param headers the headers
     * @throws IllegalArgumentException if the method is not a token or the target holds SP or CTLs
     * @throws java.nio.BufferOverflowException if {@code out} has less room than {@link #requestHeadSize}
     */
    public static void writeRequestHead(ByteBuffer out, String method, String target, HttpVersion version,
                                        HttpHeaders headers) {
        if (method.isEmpty()) {
            throw new IllegalArgumentException("empty method");
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c > 0x7F || !HttpChars.isTchar(c)) {
                throw new IllegalArgumentException("method is not a token: " + method);
            }
        }
        if (target.isEmpty()) {
            throw new IllegalArgumentException("empty request-target");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c > 0x7F || !HttpChars.isTargetChar(c)) {
                throw new IllegalArgumentException("request-target must be visible US-ASCII without '#'");
            }
        }
        putAscii(out, method);
        out.put((byte) ' ');
        putAscii(out, target);
        out.put((byte) ' ');
        putAscii(out, version.text());
        out.put(CRLF);
        writeFields(out, headers);
    }

    /**
     * Encodes a request head into a new heap buffer of exact size, ready to write (flipped).
     *
     * @param method the HTTP method
     * @param target the request target
     * @param version the HTTP version
     * @param headers the headers
     * @return the encoded byte buffer
     */
    public static ByteBuffer encodeRequestHead(String method, String target, HttpVersion version, HttpHeaders headers) {
        ByteBuffer b = ByteBuffer.allocate(requestHeadSize(method, target, version, headers));
        writeRequestHead(b, method, target, version, headers);
        return b.flip();
    }

    private static byte[] precomputed(HttpVersion version, int status) {
        if (status < 100 || status >= 600) {
            return null;
        }
        return version == HttpVersion.HTTP_1_1 ? STATUS_11[status] : STATUS_10[status];
    }

    private static String reasonOrDefault(int status, String reason) {
        if (reason != null) {
            return reason;
        }
        String r = HttpStatus.reasonPhrase(status);
        return r == null ? "" : r;
    }

    private static int headersSize(HttpHeaders headers) {
        int n = 0;
        for (int i = 0, size = headers.size(); i < size; i++) {
            n += headers.nameAt(i).length() + 2 + headers.valueAt(i).length() + 2;
        }
        return n;
    }

    private static void writeFields(ByteBuffer out, HttpHeaders headers) {
        for (int i = 0, size = headers.size(); i < size; i++) {
            putAscii(out, headers.nameAt(i));
            out.put((byte) ':').put((byte) ' ');
            putAscii(out, headers.valueAt(i)); // valid field values: ISO-8859-1 by HttpHeaders' rule
            out.put(CRLF);
        }
        out.put(CRLF);
    }

    /**
     * reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ), the field-value character set
     * ({@link HttpChars#isFieldValue}): no CR/LF, so no response splitting.
     */
    private static void checkReason(String s) {
        if (!HttpChars.isFieldValue(s)) {
            throw new IllegalArgumentException("reason phrase contains a forbidden character");
        }
    }

    /** Strings known to be ASCII (tokens, versions, validated targets). */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) is exactly "low 8 bits of each char"
    private static void putAscii(ByteBuffer out, String s) {
        int len = s.length();
        if (out.hasArray() && out.remaining() >= len) {
            int pos = out.position();
            // an array copy for a Latin-1 string, instead of a loop over charAt
            s.getBytes(0, len, out.array(), out.arrayOffset() + pos);
            out.position(pos + len);
        } else {
            for (int i = 0; i < len; i++) {
                out.put((byte) s.charAt(i));
            }
        }
    }


}
