package io.gale.http2;

import io.gale.http.HttpHeaders;
import java.util.Arrays;

/**
 * Encodes the field blocks one endpoint sends (request and response heads, trailers) with its
 * HPACK encoder, applying the send side of {@link Http2HeaderRules}: names lower-cased, values
 * trimmed, connection-specific fields and {@code host} left out. Every field is checked before the
 * first one is encoded, because encoding changes the dynamic table the peer mirrors: a refused
 * head ({@link IllegalArgumentException}) leaves the encoder as it was, so the connection goes on.
 *
 * <p>The returned block is this encoder's buffer, valid until the next call. Not thread-safe: the
 * connection's loop.
 *
 * <p>A server answers most requests with the same shared {@link HttpHeaders} object; the checked,
 * lower-cased fields of the last response head's headers are kept, with the name and value objects
 * they came from, and reused while that object still holds exactly those objects (compared by
 * reference: any change puts a new value object in it), so a steady stream of answers does not
 * check and copy the same fields again.
 */
final class Http2FieldEncoder {
    private final HpackEncoder encoder;
    private final ByteOut block = new ByteOut(512);
    /** The last response head's headers, the name/value objects they held, and their sendable fields. */
    private HttpHeaders lastHeaders;
    private String[] lastRaw;
    private String[] lastSendable;

    Http2FieldEncoder(int maxTableSize) {
        this.encoder = new HpackEncoder(maxTableSize);
    }

    /** The peer's SETTINGS_HEADER_TABLE_SIZE. */
    void setPeerMaxTableSize(long value) {
        encoder.setPeerMaxTableSize(value);
    }

    /** A request head: the four pseudo-header fields, then {@code headers}. */
    ByteOut request(String method, String scheme, String authority, String path, HttpHeaders headers) {
        String[] fields = sendable(headers);
        check(":method", method);
        check(":scheme", scheme);
        check(":authority", authority);
        check(":path", path);
        begin();
        encoder.encode(":method", method, false, block);
        encoder.encode(":scheme", scheme, false, block);
        encoder.encode(":authority", authority, false, block);
        encoder.encode(":path", path, false, block);
        return encode(fields);
    }

    /**
     * A response head: {@code :status}, then {@code headers}, then {@code extra} (fields the
     * server adds, such as {@code date}, kept apart so the caller's headers need not be copied;
     * may be null).
     */
    ByteOut response(int status, HttpHeaders headers, HttpHeaders extra) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status " + status);
        }
        String[] fields = sendableCached(headers);
        String[] more = extra == null ? null : sendable(extra);
        begin();
        encoder.encodeStatus(status, block);
        encode(fields);
        return more == null ? block : encode(more);
    }

    /** Trailers: regular fields only. */
    ByteOut trailers(HttpHeaders headers) {
        String[] fields = sendable(headers);
        begin();
        return encode(fields);
    }

    /**
     * The regular fields of {@code headers} to send, as wire name/value pairs.
     *
     * @throws IllegalArgumentException if a value cannot be sent
     */
    static String[] sendable(HttpHeaders headers) {
        int n = headers == null ? 0 : headers.size();
        String[] f = new String[n * 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            String name = Http2Names.lowerCase(headers.nameAt(i));
            String value = headers.valueAt(i);
            if (Http2HeaderRules.omitOnSend(name, value)) {
                continue;
            }
            f[k++] = name;
            f[k++] = Http2HeaderRules.sendValue(name, value);
        }
        return k == f.length ? f : Arrays.copyOf(f, k);
    }

    /** {@link #sendable} of a response's headers, reused while they are the last ones unchanged. */
    private String[] sendableCached(HttpHeaders headers) {
        if (headers == null) {
            return sendable(null);
        }
        int n = headers.size();
        if (headers == lastHeaders && lastRaw.length == n * 2) {
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = headers.nameAt(i) == lastRaw[2 * i] && headers.valueAt(i) == lastRaw[2 * i + 1];
            }
            if (same) {
                return lastSendable;
            }
        }
        String[] fields = sendable(headers); // may refuse: the cache keeps the last good head
        String[] raw = new String[n * 2];
        for (int i = 0; i < n; i++) {
            raw[2 * i] = headers.nameAt(i);
            raw[2 * i + 1] = headers.valueAt(i);
        }
        lastHeaders = headers;
        lastRaw = raw;
        lastSendable = fields;
        return fields;
    }

    private static void check(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is required");
        }
        Http2HeaderRules.sendValue(name, value);
    }

    private void begin() {
        block.reset();
        encoder.beginBlock(block);
    }

    private ByteOut encode(String[] fields) {
        for (int i = 0; i < fields.length; i += 2) {
            encoder.encode(fields[i], fields[i + 1], false, block);
        }
        return block;
    }
}
