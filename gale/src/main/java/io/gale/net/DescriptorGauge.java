package io.gale.net;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * How close the process is to its descriptor limit ({@code RLIMIT_NOFILE}), cheaply enough to ask
 * on every accept. Counting the open descriptors lists {@code /proc/self/fd} (a millisecond with
 * 20,000 open), so the count is taken at most once per {@link #SAMPLE_INTERVAL_NANOS} and, between
 * two counts, estimated as the last count plus the server's connections opened since (each holds
 * one descriptor). The limit is read once.
 *
 * <p>Threading: {@link #sample} on the accept loop only; {@link #nearLimit} from any thread (the
 * sample's fields are volatile; a torn pair only makes the estimate briefly off by a few).
 * Where the JDK cannot tell (not a Unix JVM, no {@code jdk.management}), never near the limit.
 *
 * <p>On Linux both numbers come from {@code /proc/self} (the limit from {@code limits}, the count
 * from {@code fd}), which is what the JDK's {@code UnixOperatingSystemMXBean} reads too: asking
 * the MXBean first initialises the platform MBean machinery, 25-30 ms on the main thread of every
 * server's start (seen in hello world's start-up profile). Elsewhere, the MXBean.
 */
final class DescriptorGauge {
    /** Open descriptors, as a fraction of the limit, from which the server sheds idle connections. */
    static final double NEAR_LIMIT_FRACTION = 0.9;
    static final long SAMPLE_INTERVAL_NANOS = 1_000_000_000L;

    private final LongSupplier open;
    private final long threshold;
    private final long intervalNanos;
    private volatile long sampledOpen;
    private volatile int liveAtSample;
    private long sampledAt;
    private boolean sampledOnce;

    DescriptorGauge(LongSupplier open, long max) {
        this(open, max, SAMPLE_INTERVAL_NANOS);
    }

    /** With another sampling interval: for tests. */
    DescriptorGauge(LongSupplier open, long max, long intervalNanos) {
        this.open = open;
        this.intervalNanos = intervalNanos;
        this.threshold = max <= 0 ? Long.MAX_VALUE : (long) Math.ceil(max * NEAR_LIMIT_FRACTION);
    }

    /** The process's gauge, from {@code /proc/self} or the JDK's {@code UnixOperatingSystemMXBean}; null where there is none. */
    static DescriptorGauge ofProcess() {
        Path limits = Path.of("/proc/self/limits");
        Path fds = Path.of("/proc/self/fd");
        if (Files.isReadable(limits) && Files.isDirectory(fds)) {
            long max = openFilesLimit(limits);
            return max > 0 ? new DescriptorGauge(() -> count(fds), max) : null;
        }
        try {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                long max = unix.getMaxFileDescriptorCount();
                return max > 0 ? new DescriptorGauge(unix::getOpenFileDescriptorCount, max) : null;
            }
        } catch (RuntimeException | LinkageError e) {
            // no management support in this runtime: no descriptor-based shedding
        }
        return null;
    }

    /**
     * The soft limit from a {@code /proc/PID/limits} file (its {@code Max open files} line: name,
     * soft, hard, unit); -1 when absent or unlimited. Parsed from the bytes by hand: every server's
     * start reads it on its main thread, where a reader, a charset decoder and a regex split cost
     * 5 ms in the interpreter (hello world's start-up profile).
     */
    static long openFilesLimit(Path limits) {
        try {
            return openFilesLimit(Files.readAllBytes(limits));
        } catch (IOException e) {
            return -1; // unreadable: no descriptor-based shedding
        }
    }

    /** {@link #openFilesLimit(Path)} of the file's bytes: fields separated by spaces or tabs, at most 18 digits. */
    static long openFilesLimit(byte[] text) {
        byte[] key = "Max open files".getBytes(StandardCharsets.US_ASCII);
        for (int line = 0; line < text.length; ) {
            int end = line;
            while (end < text.length && text[end] != '\n') {
                end++;
            }
            if (Arrays.equals(text, line, Math.min(line + key.length, end), key, 0, key.length)) {
                int i = line + key.length;
                while (i < end && (text[i] == ' ' || text[i] == '\t')) {
                    i++;
                }
                long value = 0;
                int digits = 0;
                for (; i < end && text[i] >= '0' && text[i] <= '9' && digits < 18; i++, digits++) {
                    value = value * 10 + (text[i] - '0');
                }
                // "unlimited" (no digits) or a number running into a letter: no shedding
                return digits > 0 && (i == end || text[i] == ' ' || text[i] == '\t') ? value : -1;
            }
            line = end + 1;
        }
        return -1;
    }

    /**
     * The entries of a directory ({@code /proc/self/fd}: the open descriptors, plus the one listing
     * it); -1 when it cannot be listed (out of descriptors itself: {@link #sample} keeps going).
     */
    private static long count(Path dir) {
        long n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path ignored : entries) {
                n++;
            }
        } catch (IOException | DirectoryIteratorException e) {
            return -1;
        }
        return n;
    }

    /** The descriptor count at which {@link #nearLimit} turns true. */
    long threshold() {
        return threshold;
    }

    /** Accept loop: counts the open descriptors again if the last count is older than the interval. */
    void sample(long now, int live) {
        if (sampledOnce && now - sampledAt < intervalNanos) {
            return;
        }
        sampledOnce = true;
        sampledAt = now;
        long n = open.getAsLong();
        liveAtSample = live;
        sampledOpen = n < 0 ? 0 : n;
    }

    /** Whether the estimated open descriptors, with {@code live} connections now, reach the threshold. */
    boolean nearLimit(int live) {
        return sampledOpen + (live - liveAtSample) >= threshold;
    }
}
