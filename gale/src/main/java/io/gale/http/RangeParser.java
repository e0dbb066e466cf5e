package io.gale.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Strict parser for the {@code Range} request header (RFC 9110 section 14.1.1/14.2).
 *
 * <p>Stateless and thread-safe. Anything that is not a well-formed {@code bytes} range set is
 * ignored (the server sends 200), as section 14.2 allows. Numbers too large for a {@code long}
 * saturate instead of failing: a first-pos beyond any file is simply unsatisfiable.
 */
final class RangeParser {
    /**
     * More range-specs than this and the header is ignored: many tiny or overlapping ranges are
     * a known amplification attack (RFC 9110 section 17.15, CVE-2011-3192).
     */
    static final int MAX_RANGES = 16;

    private static final RangeResult IGNORED = new RangeResult.Ignored();

    private RangeParser() {}

    static RangeResult parse(String header, long length) {
        if (length < 0) throw new IllegalArgumentException("negative length");
        if (header == null) return IGNORED;
        int eq = header.indexOf('=');
        if (eq != 5 || !header.regionMatches(true, 0, "bytes", 0, 5)) return IGNORED;
        List<ByteRange> ranges = new ArrayList<>(2);
        int specs = 0;
        int n = header.length();
        int i = eq + 1;
        while (true) {
            int comma = header.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            int from = skipOws(header, i, end);
            int to = trimOws(header, from, end);
            if (from < to) { // empty list elements are allowed by the #rule and skipped
                if (++specs > MAX_RANGES) return IGNORED;
                ByteRange r;
                try {
                    r = spec(header, from, to, length);
                } catch (IllegalArgumentException e) {
                    return IGNORED; // a single invalid range-spec makes the whole set invalid
                }
                if (r != null) ranges.add(r);
            }
            if (comma < 0) break;
            i = comma + 1;
        }
        if (specs == 0) return IGNORED;
        if (ranges.isEmpty()) return new RangeResult.Unsatisfiable(length);
        return new RangeResult.Satisfiable(coalesce(ranges));
    }

    /** Parses one range-spec; {@code null} if valid but unsatisfiable; throws if invalid. */
    private static ByteRange spec(String s, int from, int to, long length) {
        int dash = s.indexOf('-', from);
        if (dash < 0 || dash >= to) throw new IllegalArgumentException();
        if (dash == from) { // suffix-range: "-N"
            long suffix = number(s, dash + 1, to);
            if (suffix == 0 || length == 0) return null;
            return new ByteRange(Math.max(0, length - suffix), length);
        }
        long first = number(s, from, dash);
        long last = dash + 1 == to ? Long.MAX_VALUE : number(s, dash + 1, to);
        if (last < first) throw new IllegalArgumentException();
        if (first >= length) return null;
        return new ByteRange(first, Math.min(last, length - 1) + 1);
    }

    /** 1*DIGIT, saturating at {@code Long.MAX_VALUE - 1} so that {@code last + 1} cannot overflow. */
    private static long number(String s, int from, int to) {
        if (from >= to) throw new IllegalArgumentException();
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException();
            v = v > (Long.MAX_VALUE - 10) / 10 ? Long.MAX_VALUE - 1 : v * 10 + (c - '0');
        }
        return v;
    }

    /** Keeps request order unless ranges overlap; then sorts and merges them (allowed by section 14.2). */
    private static List<ByteRange> coalesce(List<ByteRange> ranges) {
        if (ranges.size() == 1) return ranges;
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::start));
        boolean overlap = false;
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).start() < sorted.get(i - 1).end()) overlap = true;
        }
        if (!overlap) return ranges;
        List<ByteRange> merged = new ArrayList<>(sorted.size());
        ByteRange cur = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            ByteRange r = sorted.get(i);
            if (r.start() < cur.end()) {
                cur = new ByteRange(cur.start(), Math.max(cur.end(), r.end()));
            } else {
                merged.add(cur);
                cur = r;
            }
        }
        merged.add(cur);
        return merged;
    }

    private static int skipOws(String s, int i, int end) {
        while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        return i;
    }

    private static int trimOws(String s, int from, int end) {
        while (end > from && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) end--;
        return end;
    }
}
