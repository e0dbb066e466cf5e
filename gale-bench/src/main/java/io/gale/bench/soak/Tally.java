package io.gale.bench.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the soak's traffic did, per kind: exchanges checked correct, and unexpected errors (a wrong
 * status or body, a failed connection, a timeout). The first {@link #KEPT} error messages are kept
 * for the report. Threading: any thread.
 */
final class Tally {
    static final int KEPT = 40;

    private final Map<String, LongAdder> ok = new LinkedHashMap<>();
    private final Map<String, LongAdder> errors = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();

    Tally(List<String> kinds) {
        for (String k : kinds) {
            ok.put(k, new LongAdder());
            errors.put(k, new LongAdder());
        }
    }

    void ok(String kind, int n) {
        ok.get(kind).add(n);
    }

    void error(String kind, String message) {
        errors.get(kind).increment();
        if (kept.incrementAndGet() <= KEPT) {
            messages.add(java.time.Instant.now() + " " + kind + ": " + message);
        }
    }

    long okTotal() {
        return ok.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long errorTotal() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, long[]> perKind() {
        Map<String, long[]> m = new LinkedHashMap<>();
        ok.forEach((k, v) -> m.put(k, new long[] {v.sum(), errors.get(k).sum()}));
        return m;
    }

    List<String> messages() {
        return new ArrayList<>(messages);
    }
}
