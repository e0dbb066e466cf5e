package io.gale.web;

import io.gale.ioloop.IOLoop;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An application's graceful drain: the registry of long-lived work (open WebSockets, waiting
 * long polls) and the switch that ends it. {@link #drain} flips readiness first (so a load
 * balancer's next probe sees it), then runs every registered callback on its own loop: a
 * WebSocket sends close 1001 Going Away, a long poll answers 503 with {@code Retry-After}. Its
 * future completes when every registration was cancelled (the socket closed, the poll
 * answered); the server bounds the wait by its deadline.
 *
 * <p>Work registered once draining began has its callback run at once (on its loop): a long poll
 * that arrives on a kept-alive connection during the drain is answered, not left waiting.
 *
 * <p>Threading: thread-safe. Registrations come from every loop; a concurrent set holds them,
 * and a registration removes itself when cancelled or run. Cost: one set insertion and removal
 * per WebSocket or long poll, nothing per ordinary request.
 */
final class GracefulDrain {
    private final Set<Hook> hooks = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean draining;

    private final class Hook implements DrainHook {
        final IOLoop loop;
        final Runnable callback;
        final AtomicBoolean ended = new AtomicBoolean();
        final AtomicBoolean fired = new AtomicBoolean();

        Hook(IOLoop loop, Runnable callback) {
            this.loop = loop;
            this.callback = callback;
        }

        @Override
        public void cancel() {
            if (ended.compareAndSet(false, true)) {
                hooks.remove(this);
                checkDone();
            }
        }

        /** Runs the callback on the loop; the hook stays registered until the work cancels it. */
        void fire() {
            if (!fired.compareAndSet(false, true)) {
                return; // registered while the drain began: both may see it
            }
            loop.addCallback(() -> {
                if (!ended.get()) {
                    try {
                        callback.run();
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(GracefulDrain.class).error("drain callback failed", e);
                        cancel();
                    }
                }
            });
        }
    }

    /** Registers work to end at drain time; runs {@code callback} on {@code loop} then. */
    DrainHook register(IOLoop loop, Runnable callback) {
        Hook h = new Hook(loop, callback);
        hooks.add(h);
        if (draining) {
            h.fire();
        }
        return h;
    }

    boolean isDraining() {
        return draining;
    }

    /** Begins draining (idempotent); completes when every registration is cancelled. */
    CompletableFuture<Void> drain(Duration deadline) {
        if (!draining) {
            draining = true;
            for (Hook h : hooks) {
                h.fire();
            }
            checkDone();
        }
        return done;
    }

    /**
     * The answer to a request cut short by the drain: 503 with {@code Retry-After} (whole seconds,
     * at least 1) and the application's error page; the connection closes after it (the server is
     * draining), so the client's retry goes to a live process. Nothing if already answered.
     */
    static void answerRetryLater(RequestHandler handler, Duration retryAfter) {
        if (handler.isFinished() || handler.isConnectionClosed()) {
            return;
        }
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        handler.clear();
        handler.setStatus(503);
        handler.setHeader("Retry-After", Long.toString(seconds));
        try {
            handler.writeError(503, null);
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(GracefulDrain.class).error("writeError failed during the drain", e);
        }
        handler.finish();
    }

    /** Registered work not yet ended. */
    int pending() {
        return hooks.size();
    }

    private void checkDone() {
        if (draining && hooks.isEmpty()) {
            done.complete(null);
        }
    }
}
