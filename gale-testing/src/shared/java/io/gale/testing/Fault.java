package io.gale.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link FaultProxy} does to the bytes of one direction of its connections. Immutable;
 * combine with {@link #and}: {@code Fault.latency(ofMillis(50)).and(Fault.resetAfter(10_000))}.
 *
 * <table>
 *   <caption>Faults (the default of each: off)</caption>
 *   <tr><th>fault</th><th>effect</th></tr>
 *   <tr><td>{@link #latency}</td><td>each read chunk is forwarded this much later (order kept)</td></tr>
 *   <tr><td>{@link #bandwidth}</td><td>at most this many bytes per second, in slices of up to 1/20 s</td></tr>
 *   <tr><td>{@link #drip}</td><td>a few bytes at a time with a pause between (slow loris, slow reader)</td></tr>
 *   <tr><td>{@link #resetAfter}</td><td>after this many bytes, both sides are reset (RST, no FIN)</td></tr>
 *   <tr><td>{@link #closeAfter}</td><td>after this many bytes, a FIN to the receiver (half-close);
 *       the other direction goes on, later bytes of this one are dropped</td></tr>
 *   <tr><td>{@link #blackHole}</td><td>every byte is swallowed: never forwarded, never refused</td></tr>
 * </table>
 *
 * <p>A fault set on a proxy applies to what it reads from then on, on every live connection.
 *
 * @param latency the latency
 * @param bytesPerSecond the bytes per second
 * @param dripBytes the drip bytes
 * @param dripEvery the drip every
 * @param resetAfter the reset after
 * @param closeAfter the close after
 * @param swallowAll the swallow all
 */
public record Fault(Duration latency, long bytesPerSecond, int dripBytes, Duration dripEvery, long resetAfter,
        long closeAfter, boolean swallowAll) {
    private static final Fault NONE = new Fault(Duration.ZERO, 0, 0, Duration.ZERO, -1, -1, false);

    /**
     * Creates a {@code Fault}; its components are described in the class comment.
     */
    public Fault {
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(dripEvery, "dripEvery");
        if (latency.isNegative() || dripEvery.isNegative() || bytesPerSecond < 0 || dripBytes < 0) {
            throw new IllegalArgumentException("negative fault parameter");
        }
    }

    /**
     * Bytes pass untouched.
     *
     * @return the none
     */
    public static Fault none() {
        return NONE;
    }

    /**
     * Latency.
     *
     * @param delay the delay
     * @return the fault
     */
    public static Fault latency(Duration delay) {
        return new Fault(delay, 0, 0, Duration.ZERO, -1, -1, false);
    }

    /**
     * Bandwidth.
     *
     * @param bytesPerSecond the bytes per second
     * @return the fault
     */
    public static Fault bandwidth(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond must be positive");
        }
        return new Fault(Duration.ZERO, bytesPerSecond, 0, Duration.ZERO, -1, -1, false);
    }

    /**
     * Drip.
     *
     * @param bytes the number of bytes
     * @param every the every
     * @return the fault
     */
    public static Fault drip(int bytes, Duration every) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes must be positive");
        }
        return new Fault(Duration.ZERO, 0, bytes, every, -1, -1, false);
    }

    /**
     * Reset after.
     *
     * @param bytes the number of bytes
     * @return the fault
     */
    public static Fault resetAfter(long bytes) {
        return new Fault(Duration.ZERO, 0, 0, Duration.ZERO, nonNegative(bytes), -1, false);
    }

    /**
     * Close after.
     *
     * @param bytes the number of bytes
     * @return the fault
     */
    public static Fault closeAfter(long bytes) {
        return new Fault(Duration.ZERO, 0, 0, Duration.ZERO, -1, nonNegative(bytes), false);
    }

    /**
     * The black hole.
     *
     * @return the black hole
     */
    public static Fault blackHole() {
        return new Fault(Duration.ZERO, 0, 0, Duration.ZERO, -1, -1, true);
    }

    /**
     * Both faults; where both set the same parameter, {@code other}'s wins.
     *
     * @param other the other
     * @return this fault
     */
    public Fault and(Fault other) {
        return new Fault(other.latency.isZero() ? latency : other.latency,
                other.bytesPerSecond > 0 ? other.bytesPerSecond : bytesPerSecond,
                other.dripBytes > 0 ? other.dripBytes : dripBytes,
                other.dripBytes > 0 ? other.dripEvery : dripEvery,
                other.resetAfter >= 0 ? other.resetAfter : resetAfter,
                other.closeAfter >= 0 ? other.closeAfter : closeAfter,
                swallowAll || other.swallowAll);
    }

    /** The largest slice written at once, and the pause after it (nanoseconds), for pacing. */
    long sliceBytes(int available) {
        if (dripBytes > 0) {
            return Math.min(available, dripBytes);
        }
        if (bytesPerSecond > 0) {
            return Math.min(available, Math.max(1, bytesPerSecond / 20));
        }
        return available;
    }

    long pauseNanos(long sliceBytes) {
        if (dripBytes > 0) {
            return dripEvery.toNanos();
        }
        if (bytesPerSecond > 0) {
            return sliceBytes * 1_000_000_000L / bytesPerSecond;
        }
        return 0;
    }

    private static long nonNegative(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative");
        }
        return bytes;
    }
}
