package io.gale.concurrent;

/**
 * A {@link Semaphore} that may not be released above its initial value (Tornado's
 * {@code locks.BoundedSemaphore}): a release too many is a bug, and fails loudly.
 *
 * <pre>{@code
 * BoundedSemaphore slots = new BoundedSemaphore(4);
 * slots.release();   // IllegalStateException: Semaphore released too many times
 * }</pre>
 *
 * <p>Threading and completion rules: as {@link Semaphore}.
 */
public final class BoundedSemaphore extends Semaphore {
    /** A bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * A bounded semaphore with {@code value} permits, never more.
     *
     * @param value the value
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value, value);
    }

    @Override
    String name() {
        return "BoundedSemaphore";
    }
}
