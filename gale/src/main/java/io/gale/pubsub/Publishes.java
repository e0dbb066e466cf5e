package io.gale.pubsub;

import java.util.concurrent.CompletableFuture;

/** The failure side of publishing, shared by the implementations: a failed future, counted. */
final class Publishes {
    private Publishes() {
    }

    static CompletableFuture<Void> failed(Counters counters, PubSubException e) {
        counters.failedPublishes.increment();
        return CompletableFuture.failedFuture(e);
    }

    /**
     * Fails {@code f} and counts it, unless it is already complete (cancelled by its caller).
     * Counted first, so that whoever sees the failure also sees it counted.
     */
    static void fail(Counters counters, CompletableFuture<Void> f, PubSubException e) {
        counters.failedPublishes.increment();
        if (!f.completeExceptionally(e)) {
            counters.failedPublishes.decrement();
        }
    }

    /** Completes {@code f} and counts it as published (first, as in {@link #fail}). */
    static void succeed(Counters counters, CompletableFuture<Void> f) {
        counters.published.increment();
        if (!f.complete(null)) {
            counters.published.decrement();
        }
    }

    static PubSubException tooLarge(int size, PubSubLimits limits) {
        return new PubSubException("message of " + size + " bytes is larger than " + limits.maxMessageSize()
            + " (PubSubLimits.maxMessageSize)");
    }
}
