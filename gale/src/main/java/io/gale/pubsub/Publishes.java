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

    /** Fails {@code f} and counts it, unless it is already complete. */
    static void fail(Counters counters, CompletableFuture<Void> f, PubSubException e) {
        if (f.completeExceptionally(e)) {
            counters.failedPublishes.increment();
        }
    }

    static PubSubException tooLarge(int size, PubSubLimits limits) {
        return new PubSubException("message of " + size + " bytes is larger than " + limits.maxMessageSize()
            + " (PubSubLimits.maxMessageSize)");
    }
}
