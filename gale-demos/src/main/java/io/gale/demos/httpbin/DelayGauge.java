package io.gale.demos.httpbin;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts {@code /delay} requests waiting at once, and the most ever seen: evidence that delays
 * wait on timers side by side instead of holding a thread each. Thread-safe.
 */
public final class DelayGauge {
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    void enter() {
        int now = waiting.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    void exit() {
        waiting.decrementAndGet();
    }

    /** Delays waiting now. */
    public int waiting() {
        return waiting.get();
    }

    /** The most delays that were waiting at the same time. */
    public int peak() {
        return peak.get();
    }
}
