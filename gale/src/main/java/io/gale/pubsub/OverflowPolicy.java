package io.gale.pubsub;

/**
 * What a subscriber's queue does when a message arrives and it already holds
 * {@link PubSubLimits#subscriberQueueSize()} messages (the subscriber's loop is busy or its
 * callback is slow). Either way the loss is counted in {@link PubSubStats#dropped()} and in the
 * subscription's {@link Subscription#dropped()}.
 */
public enum OverflowPolicy {
    /**
     * The oldest queued message is discarded to make room (the default): a slow subscriber keeps
     * receiving, always the newest messages, and never holds more than the queue size. Right for
     * chat rooms and live updates, where the latest state matters most.
     */
    DROP_OLDEST,
    /**
     * The subscription is ended: its queued messages are discarded (and counted as dropped), it
     * receives nothing more, and {@link Subscription#closed()} fails with
     * {@link SubscriberOverflowException}. Right when a gap would be worse than no stream at all:
     * the subscriber can resynchronise and subscribe again.
     */
    DISCONNECT
}
