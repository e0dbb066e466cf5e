package io.gale.demos.fileupload;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The uploader's progress display: bytes sent of the total, the rate, and the time left. On a
 * terminal a bar redrawn in place (at most ten times a second); otherwise, when the output is
 * piped or logged, a plain line at every tenth of the way, so a log shows progress without
 * hundreds of lines.
 *
 * <pre>
 * photo.iso [##########..........]  50%  512.0 MiB / 1.0 GiB  98.5 MiB/s  0:05 left
 * photo.iso: 50% (512.0 MiB of 1.0 GiB, 98.5 MiB/s, 0:05 left)
 * </pre>
 *
 * <p>Threading: not thread-safe; one thread reports (the body producer's), then another may call
 * {@link #finish()} after it (the end of the upload orders the two).
 */
final class Progress {
    private static final int BAR = 20;
    private static final long REDRAW_NANOS = 100_000_000L;
    /** ANSI "erase to end of line": a shorter line leaves nothing of the longer one before it. */
    private static final String ERASE_TO_END = "\u001b[K";

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final long start;
    private long sent;
    /** When the last byte was sent (the rate and time stop there, not at the server's answer). */
    private long completedAt;
    private boolean completed;
    private long lastDraw;
    private int lastTenth;

    /**
     * @param terminal whether {@code out} is a terminal (a bar) or not (plain lines)
     * @param clock nanoseconds, as {@link System#nanoTime()} (tests give their own)
     */
    Progress(PrintStream out, boolean terminal, String label, long total, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.total = total;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastDraw = start - REDRAW_NANOS; // the first piece is drawn at once
    }

    /** {@code bytes} more were sent. */
    void advance(long bytes) {
        sent += bytes;
        long now = clock.getAsLong();
        if (sent >= total && !completed) {
            completed = true;
            completedAt = now;
        }
        if (terminal) {
            if (now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                out.print("\r" + line(now, true) + ERASE_TO_END);
                out.flush();
            }
        } else {
            int tenth = total == 0 ? 10 : (int) (sent * 10 / total);
            if (tenth > lastTenth && tenth < 10) {
                lastTenth = tenth;
                out.println(line(now, false));
            }
        }
    }

    /** The upload ended (sent or not): the final state, on a line of its own. */
    void finish() {
        long now = completed ? completedAt : clock.getAsLong();
        if (terminal) {
            out.println("\r" + line(now, true) + ERASE_TO_END);
        } else {
            out.println(line(now, false));
        }
        out.flush();
    }

    long sent() {
        return sent;
    }

    /** The progress line at time {@code now}: a bar or plain text. */
    String line(long now, boolean bar) {
        int percent = total == 0 ? 100 : (int) (sent * 100 / total);
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? sent / seconds : 0;
        String rateText = Sizes.format((long) rate) + "/s";
        String left = rate > 0 ? duration((long) Math.ceil((total - sent) / rate)) + " left" : "--:-- left";
        if (sent >= total) {
            left = "done in " + duration(Math.round(seconds));
        }
        if (bar) {
            int filled = total == 0 ? BAR : (int) (sent * BAR / total);
            return String.format(Locale.ROOT, "%s [%s%s] %3d%%  %s / %s  %s  %s", label, "#".repeat(filled),
                    ".".repeat(BAR - filled), percent, Sizes.format(sent), Sizes.format(total), rateText, left);
        }
        return String.format(Locale.ROOT, "%s: %d%% (%s of %s, %s, %s)", label, percent, Sizes.format(sent),
                Sizes.format(total), rateText, left);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
