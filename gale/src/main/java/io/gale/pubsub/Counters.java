package io.gale.pubsub;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link PubSubStats}; incremented from any thread. */
final class Counters {
    final LongAdder published = new LongAdder();
    final LongAdder failedPublishes = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder handlerErrors = new LongAdder();
    final LongAdder reconnects = new LongAdder();

    PubSubStats snapshot(int subscriptions, boolean connected) {
        return new PubSubStats(published.sum(), failedPublishes.sum(), received.sum(), delivered.sum(),
            dropped.sum(), handlerErrors.sum(), reconnects.sum(), subscriptions, connected);
    }
}
