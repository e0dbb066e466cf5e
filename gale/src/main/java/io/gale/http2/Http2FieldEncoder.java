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
 */
final class Http2FieldEncoder {
    private final HpackEncoder encoder;
    private final ByteOut block = new ByteOut(512);

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
        String[] fields = sendable(headers);
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
