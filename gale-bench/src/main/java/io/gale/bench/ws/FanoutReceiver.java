package io.gale.bench.ws;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One reading thread of {@link FanoutLoad}: a selector over its share of the connections, and the
 * checks and counts of what its subscribers receive, per phase: deliveries (live, for the
 * controller), delays (send time embedded by the publisher → now, same clock), gaps (a sequence
 * number skipped: lost) and reorders (one that goes back) per publisher, and for window phases the
 * per-message completion counts the publishers wait on.
 *
 * <p>Threading: everything but {@link #deliveries}, {@link #errors} and the phases' completion
 * counters is confined to this thread until {@link #stop} and a join.
 */
final class FanoutReceiver implements Runnable {
    private final Selector selector;
    private final FanoutLoad.Phase[] phases;
    private final List<FanoutConnection> connections = new ArrayList<>();
    /** Deliveries to subscribers per phase (read live by the controller). */
    final AtomicLongArray deliveries;
    final DelayHistogram[] delays;
    final long[] gaps;
    final long[] reorders;
    long foreign;
    final AtomicLongArray errors = new AtomicLongArray(1);
    volatile String firstError;
    private volatile boolean running = true;
    private final FanoutLoad.Sync sync;

    FanoutReceiver(FanoutLoad.Phase[] phases, FanoutLoad.Sync sync) throws IOException {
        this.selector = Selector.open();
        this.phases = phases;
        this.sync = sync;
        this.deliveries = new AtomicLongArray(phases.length);
        this.delays = new DelayHistogram[phases.length];
        for (int i = 0; i < phases.length; i++) {
            delays[i] = new DelayHistogram();
        }
        this.gaps = new long[phases.length];
        this.reorders = new long[phases.length];
    }

    /** Before {@link #run} starts. */
    void add(FanoutConnection c) throws IOException {
        c.channel.configureBlocking(false);
        c.channel.register(selector, SelectionKey.OP_READ, c);
        connections.add(c);
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            for (FanoutConnection c : connections) {
                try {
                    c.start(this);
                } catch (IOException | RuntimeException e) {
                    fail(c, e);
                }
            }
            while (running) {
                selector.select(key -> {
                    FanoutConnection c = (FanoutConnection) key.attachment();
                    try {
                        c.onReadable(this);
                    } catch (IOException | RuntimeException e) {
                        key.cancel();
                        fail(c, e);
                    }
                }, 100);
            }
        } catch (IOException | RuntimeException e) {
            fail(null, e);
        } finally {
            for (FanoutConnection c : connections) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // closing at the end
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing at the end
            }
        }
    }

    private void fail(FanoutConnection c, Exception e) {
        if (firstError == null) {
            firstError = (c == null ? "" : (c.subscriber ? "subscriber" : "publisher") + " on server "
                    + c.serverIndex + ": ") + e;
        }
        errors.incrementAndGet(0); // after firstError: a reader that sees the count finds the reason
        if (c != null) {
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // already failed
            }
        }
    }

    /** A subscriber received message {@code seq} of {@code publisher} in {@code phase}, sent at {@code sentNanos}. */
    void onMessage(FanoutConnection c, int phase, int publisher, long seq, long sentNanos) throws java.io.IOException {
        long now = System.nanoTime();
        if (phase < 0 || phase >= phases.length || publisher < 0 || publisher >= c.expect.length) {
            throw new IOException("message of an unknown phase or publisher: " + phase + " " + publisher);
        }
        if (phase < c.phase) {
            reorders[phase]++;
            return;
        }
        if (phase > c.phase) {
            c.phase = phase;
            java.util.Arrays.fill(c.expect, 0);
        }
        FanoutLoad.Phase p = phases[phase];
        if (p.sync) {
            if (!c.synced) {
                c.synced = true;
                sync.joined.incrementAndGet();
            }
            c.expect[publisher] = seq + 1;
        } else {
            long want = c.expect[publisher];
            if (seq > want) {
                gaps[phase] += seq - want;
            } else if (seq < want) {
                reorders[phase]++;
            }
            c.expect[publisher] = Math.max(want, seq + 1);
            if (p.window > 0) {
                p.completions[publisher].incrementAndGet((int) (seq % FanoutLoad.RING));
            }
            if (sentNanos >= p.measureFrom && sentNanos < p.measureTo) {
                delays[phase].record(now - sentNanos);
            }
        }
        deliveries.incrementAndGet(phase);
    }
}
