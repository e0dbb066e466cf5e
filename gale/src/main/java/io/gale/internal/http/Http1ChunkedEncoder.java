package io.gale.internal.http;

import io.gale.http.HttpHeaders;
import java.nio.ByteBuffer;

/**
 * Chunked transfer coding framing (RFC 9112 section 7.1) for a body written in pieces: a chunk is
 * {@link #chunkHeader(int)} + data + {@link #crlf()}, sent with a gathering write so the data is
 * never copied; the body ends with {@link #lastChunk(HttpHeaders)}. Stateless and thread-safe.
 */
public final class Http1ChunkedEncoder {
    private Http1ChunkedEncoder() {
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};
    private static final ByteBuffer CRLF = ByteBuffer.wrap(new byte[] {'\r', '\n'}).asReadOnlyBuffer();

    /** Bytes {@link #writeChunkHeader} needs at most: 16 hex digits + CRLF. */
    public static final int MAX_CHUNK_HEADER_SIZE = 18;

    /**
     * Writes {@code size} in lower-case hex followed by CRLF.
     *
     * @param out where to write
     * @param size the size
     * @throws IllegalArgumentException if size is not positive (a zero size would end the body)
     */
    public static void writeChunkHeader(ByteBuffer out, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + size);
        }
        int digits = (67 - Long.numberOfLeadingZeros(size)) / 4;
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.put(HEX[(int) (size >>> shift) & 0xF]);
        }
        out.put((byte) '\r').put((byte) '\n');
    }

    /**
     * A new buffer (flipped) holding the header of a chunk of {@code size} bytes.
     *
     * @param size the size
     * @return a new buffer (flipped) holding the header of a chunk of {@code size} bytes
     */
    public static ByteBuffer chunkHeader(long size) {
        ByteBuffer b = ByteBuffer.allocate(MAX_CHUNK_HEADER_SIZE);
        writeChunkHeader(b, size);
        return b.flip();
    }

    /**
     * A read-only CRLF that ends each chunk's data (a fresh view each call, so positions never clash).
     *
     * @return a read-only CRLF that ends each chunk's data (a fresh view each call, so positions never clash)
     */
    public static ByteBuffer crlf() {
        return CRLF.duplicate();
    }

    /**
     * Frames {@code data} as one chunk for a gathering write: {header, data, CRLF}. Empty data yields
     * an empty array (an empty chunk would end the body).
     *
     * @param data the bytes
     * @return the byte buffer[]
     */
    public static ByteBuffer[] frame(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return new ByteBuffer[0];
        }
        return new ByteBuffer[] {chunkHeader(data.remaining()), data, crlf()};
    }

    /**
     * The last-chunk, optional trailer fields (may be null or empty) and the final CRLF, flipped.
     *
     * @param trailers the trailers
     * @return the last-chunk, optional trailer fields (may be null or empty) and the final CRLF, flipped
     */
    public static ByteBuffer lastChunk(HttpHeaders trailers) {
        if (trailers == null || trailers.isEmpty()) {
            return ByteBuffer.wrap(LAST_CHUNK);
        }
        int n = 3;
        for (int i = 0; i < trailers.size(); i++) {
            n += trailers.nameAt(i).length() + 2 + trailers.valueAt(i).length() + 2;
        }
        ByteBuffer b = ByteBuffer.allocate(n + 2);
        b.put((byte) '0').put((byte) '\r').put((byte) '\n');
        for (int i = 0; i < trailers.size(); i++) {
            putLatin1(b, trailers.nameAt(i));
            b.put((byte) ':').put((byte) ' ');
            putLatin1(b, trailers.valueAt(i));
            b.put((byte) '\r').put((byte) '\n');
        }
        b.put((byte) '\r').put((byte) '\n');
        return b.flip();
    }

    /** Copies a name or value of {@link HttpHeaders}, whose one rule admits nothing above 0xFF. */
    private static void putLatin1(ByteBuffer b, String s) {
        for (int i = 0; i < s.length(); i++) {
            b.put((byte) s.charAt(i));
        }
    }
}
