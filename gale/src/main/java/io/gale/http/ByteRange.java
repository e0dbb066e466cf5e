package io.gale.http;

/**
 * One satisfiable byte range of a representation, half-open: bytes {@code [start, end)}.
 *
 * @param start first byte offset, inclusive
 * @param end   offset after the last byte, exclusive; greater than {@code start}
 */
public record ByteRange(long start, long end) {
    /**
     * Creates a {@code ByteRange}; its components are described in the class comment.
     */
    public ByteRange {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("invalid byte range [" + start + ", " + end + ")");
        }
    }

    /**
     * Number of bytes in the range.
     *
     * @return number of bytes in the range
     */
    public long length() {
        return end - start;
    }

    /**
     * The {@code Content-Range} value for this range: {@code bytes 0-499/1234}.
     *
     * @param completeLength the length of the whole representation
     * @return the {@code Content-Range} value for this range: {@code bytes 0-499/1234}
     */
    public String contentRange(long completeLength) {
        return "bytes " + start + "-" + (end - 1) + "/" + completeLength;
    }
}
