package io.gale.http;

import java.util.List;

/**
 * The outcome of {@link HttpUtil#parseRange(String, long)}: what a server should answer to a
 * {@code Range} request header.
 *
 * <pre>{@code
 * switch (HttpUtil.parseRange(header, size)) {
 *     case RangeResult.Ignored i -> sendWhole();                    // 200
 *     case RangeResult.Satisfiable s -> sendParts(s.ranges());      // 206
 *     case RangeResult.Unsatisfiable u -> send416(u.completeLength()); // 416, Content-Range: bytes * /size
 * }
 * }</pre>
 */
public sealed interface RangeResult {
    /** No usable Range header (absent, malformed, another unit, too many ranges): send the whole representation. */
    record Ignored() implements RangeResult {}

    /**
     * The satisfiable ranges, in request order, clamped to the representation, with overlapping
     * ones merged.
     *
     * @param ranges the ranges
     */
    record Satisfiable(List<ByteRange> ranges) implements RangeResult {
        /**
         * Creates a {@code Satisfiable}; its components are described in the class comment.
         */
        public Satisfiable {
            ranges = List.copyOf(ranges);
            if (ranges.isEmpty()) throw new IllegalArgumentException("no ranges");
        }
    }

    /**
     * A valid range set none of whose ranges overlaps the representation: answer 416.
     *
     * @param completeLength the length of the whole representation
     */
    record Unsatisfiable(long completeLength) implements RangeResult {}
}
