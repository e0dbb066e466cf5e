package io.gale.pubsub;

/**
 * A snapshot of a {@link PubSub}'s counters since it was created ({@link PubSub#stats()}). Each
 * counter is exact on its own; a snapshot taken while messages flow is not atomic across counters.
 *
 * @param published messages the broker accepted: Redis acknowledged the PUBLISH; the NATS client
 *     took it while connected; in process, handed to every local subscriber's queue
 * @param failedPublishes publish futures that failed (see {@link PubSubException}); a publish is
 *     counted in exactly one of {@code published} and {@code failedPublishes}
 * @param received messages that arrived for this process's subscriptions, counted once per
 *     message (not per subscriber)
 * @param delivered messages handed to callbacks: one per message per local subscriber (counted
 *     as the callback is called)
 * @param dropped messages discarded by full subscriber queues ({@link OverflowPolicy})
 * @param handlerErrors callbacks that threw (logged, delivery goes on)
 * @param reconnects broker connections re-established after a loss (0 in process)
 * @param subscriptions active local subscriptions
 * @param connected true while every broker connection is up (always true in process until
 *     closed)
 */
public record PubSubStats(long published, long failedPublishes, long received, long delivered, long dropped,
                          long handlerErrors, long reconnects, int subscriptions, boolean connected) {
}
