package io.gale.pubsub;

/**
 * Ends a subscription under {@link OverflowPolicy#DISCONNECT}: its queue was full when another
 * message arrived. {@link Subscription#closed()} fails with it.
 */
public final class SubscriberOverflowException extends PubSubException {
    private static final long serialVersionUID = 1L;

    SubscriberOverflowException(String channel, int queueSize) {
        super("subscriber of channel '" + channel + "' fell behind: its queue of " + queueSize
            + " messages was full, so it was disconnected (OverflowPolicy.DISCONNECT)");
    }
}
