package io.gale.demos.fileupload;

import java.util.Locale;

/** Byte counts for people: {@code 1.5 MiB}, and sizes on the command line: {@code 10M}. Stateless. */
final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Sizes() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 4.0 GiB}: binary units, one decimal above bytes. */
    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    /**
     * Parses a size: digits, optionally followed by {@code K}, {@code M}, {@code G} or {@code T}
     * (binary: {@code 1K} is 1024).
     *
     * @throws IllegalArgumentException if it is not one, or overflows
     */
    static long parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        int shift = 0;
        if (!t.isEmpty()) {
            int unit = "KMGT".indexOf(t.charAt(t.length() - 1));
            if (unit >= 0) {
                shift = 10 * (unit + 1);
                t = t.substring(0, t.length() - 1);
            }
        }
        if (!t.matches("[0-9]{1,19}")) {
            throw new IllegalArgumentException("not a size: " + text + " (bytes, or a number with K, M, G or T)");
        }
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size too large: " + text);
        }
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size too large: " + text);
        }
        return n << shift;
    }
}
