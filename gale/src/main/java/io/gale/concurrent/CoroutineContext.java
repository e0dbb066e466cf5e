package io.gale.concurrent;

import io.gale.ioloop.IOLoop;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serialisation domain for coroutines and their callbacks, typically one per request: code
 * running in one context never runs on two threads at once, while different contexts run in
 * parallel (DESIGN.md, "Threading model").
 *
 * <pre>{@code
 * CoroutineContext ctx = new CoroutineContext(loop);
 * Coroutines.spawn(ctx, () -> handle(request));          // the request's coroutine
 * connection.onClose(() -> ctx.execute(this::onClosed)); // never races handle()
 * }</pre>
 *
 * <p>How: a coroutine holds the context's lock while its body runs and releases it while it is
 * blocked in {@link Coroutines#await} (taking it back before returning). Callbacks given to
 * {@link #execute} run in submission order on a virtual thread that takes the same lock for
 * each callback, so they run only while the coroutine is waiting, and a callback may complete
 * the very future the coroutine awaits. Inside both, {@link IOLoop#current()} is the context's
 * loop and {@link #current()} is this context. A coroutine that blocks outside {@code await}
 * (a JDBC call, say) keeps the lock, so its callbacks wait for it.
 *
 * <p>The lock is a {@link ReentrantLock}, not {@code synchronized}, so a virtual thread waiting
 * for it does not pin its carrier thread.
 */
public final class CoroutineContext implements Executor {
    private static final Logger log = LoggerFactory.getLogger(CoroutineContext.class);
    private static final ThreadLocal<CoroutineContext> CURRENT = new ThreadLocal<>();
    private static final ThreadFactory CALLBACK_THREADS =
            Thread.ofVirtual().name("gale-context-callbacks-", 0).factory();

    private final IOLoop loop;
    final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Runnable> callbacks = new ConcurrentLinkedQueue<>();
    /** True while a drainer thread owns {@link #callbacks}; at most one runs per context. */
    private final AtomicBoolean draining = new AtomicBoolean();

    /**
     * A context whose coroutines and callbacks see {@code loop} as their current loop.
     *
     * @param loop the loop
     */
    public CoroutineContext(IOLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /**
     * The context of the calling coroutine or context callback; null elsewhere.
     *
     * @return the context of the calling coroutine or context callback; null elsewhere
     */
    public static CoroutineContext current() {
        return CURRENT.get();
    }

    /**
     * The loop this context's code is bound to.
     *
     * @return the loop this context's code is bound to
     */
    public IOLoop loop() {
        return loop;
    }

    /**
     * Runs {@code callback} in this context: on a virtual thread, after the callbacks submitted
     * before it, never at the same time as a coroutine of this context or another callback.
     * Safe from any thread. An exception thrown by the callback is logged.
     */
    @Override
    public void execute(Runnable callback) {
        callbacks.add(Objects.requireNonNull(callback, "callback"));
        if (draining.compareAndSet(false, true)) {
            CALLBACK_THREADS.newThread(this::drain).start();
        }
    }

    private void drain() {
        enter();
        try {
            while (true) {
                Runnable r = callbacks.poll();
                if (r == null) {
                    draining.set(false);
                    // A callback added after our poll but before the flag cleared found the flag
                    // set and left it to us: take it back if nobody else did.
                    if (callbacks.isEmpty() || !draining.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                // One lock hold per callback, so a waiting coroutine can resume in between.
                lock.lock();
                try {
                    r.run();
                } catch (Throwable t) {
                    log.error("Exception in context callback {}", r, t);
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            exit();
        }
    }

    /** Binds the calling thread to this context and its loop (coroutine and drainer threads). */
    void enter() {
        loop.makeCurrent();
        CURRENT.set(this);
    }

    void exit() {
        CURRENT.remove();
        IOLoop.clearCurrent();
    }

    @Override
    public String toString() {
        return "CoroutineContext[" + loop.name() + "]";
    }
}
