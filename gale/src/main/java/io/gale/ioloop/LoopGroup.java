package io.gale.ioloop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of {@link IOLoop}s, one thread each: by default one per core, so a single process
 * uses every core (Tornado needs one process per core for that). Servers spread accepted
 * connections over the loops with {@link #next()}; a connection stays on its loop for life.
 *
 * <pre>{@code
 * LoopGroup group = new LoopGroup().start();
 * IOLoop loop = group.next();
 * ...
 * group.shutdownGracefully(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Threading: all methods are safe from any thread. Lifecycle: new → {@link #start()} →
 * {@link #stop()} or {@link #shutdownGracefully} (final).
 */
public final class LoopGroup implements AutoCloseable {
    /**
     * The logger, created on first use: SLF4J binds its provider on the first getLogger
     * (tens of ms), which a server that has logged nothing yet should not pay before its first
     * response.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(LoopGroup.class);
    }
    private static final AtomicInteger groupIds = new AtomicInteger();

    private final List<IOLoop> loops;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger nextIndex = new AtomicInteger();
    private boolean started; // guarded by this

    /** One loop per available processor, default options. */
    public LoopGroup() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Creates a {@code LoopGroup}.
     *
     * @param size the size
     */
    public LoopGroup(int size) {
        this(size, IOLoopOptions.defaults());
    }

    /**
     * Creates a {@code LoopGroup}.
     *
     * @param size number of loops (at least 1)
     * @param options options of every loop; each loop's name gets a "-N" suffix
     */
    public LoopGroup(int size, IOLoopOptions options) {
        if (size < 1) {
            throw new IllegalArgumentException("a LoopGroup needs at least one loop, got " + size);
        }
        String base = options.name() + "-" + groupIds.incrementAndGet();
        List<IOLoop> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(new IOLoop(options.toBuilder().name(base + "-" + i).build()));
        }
        this.loops = Collections.unmodifiableList(list);
    }

    /**
     * Starts every loop on its own thread; returns this. Idempotent.
     *
     * @return this loop group
     */
    public synchronized LoopGroup start() {
        if (!started) {
            started = true;
            for (IOLoop loop : loops) {
                threads.add(loop.startInBackground());
            }
        }
        return this;
    }

    /**
     * The next loop, round robin.
     *
     * @return the next loop, round robin
     */
    public IOLoop next() {
        int n = loops.size();
        if (n == 1) {
            return loops.get(0);
        }
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), n));
    }

    /**
     * The loops.
     *
     * @return the loops
     */
    public List<IOLoop> loops() {
        return loops;
    }

    /**
     * The size.
     *
     * @return the size
     */
    public int size() {
        return loops.size();
    }

    /** Asks every loop to stop at the end of its current iteration, without waiting. */
    public void stop() {
        for (IOLoop loop : loops) {
            loop.stop();
        }
    }

    /**
     * Stops every loop after the callbacks already queued to it have run, waits up to
     * {@code deadline} for the loop threads to end, then closes the loops.
     *
     * @param deadline the deadline
     * @return true if every loop ended within the deadline
     */
    public boolean shutdownGracefully(Duration deadline) {
        for (IOLoop loop : loops) {
            // Queued behind what is already there, so that work runs first.
            loop.addCallback(loop::stop);
        }
        long end = System.nanoTime() + deadline.toNanos();
        boolean allEnded = true;
        List<Thread> toJoin;
        synchronized (this) {
            toJoin = new ArrayList<>(threads);
        }
        for (Thread t : toJoin) {
            long left = end - System.nanoTime();
            try {
                if (left > 0) {
                    t.join(Duration.ofNanos(left));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                allEnded = false;
                Log.LOG.warn("loop thread {} did not stop within {} ms", t.getName(), TimeUnit.NANOSECONDS.toMillis(deadline.toNanos()));
            }
        }
        for (IOLoop loop : loops) {
            loop.stop();
            loop.close();
        }
        return allEnded;
    }

    /** {@link #shutdownGracefully} with a 5 second deadline. */
    @Override
    public void close() {
        shutdownGracefully(Duration.ofSeconds(5));
    }
}
