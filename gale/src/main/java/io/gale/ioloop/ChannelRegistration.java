package io.gale.ioloop;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * A channel registered with an {@link IOLoop} (Tornado's {@code add_handler}): change what it
 * waits for with {@link #setInterest}, remove it with {@link #cancel()}.
 *
 * <p>Threading: loop thread only, like the channel it wraps.
 */
public final class ChannelRegistration {
    private final IOLoop loop;
    private final SelectionKey key;
    private final IOHandler handler;
    private int interest;

    ChannelRegistration(IOLoop loop, SelectionKey key, IOHandler handler, int interest) {
        this.loop = loop;
        this.key = key;
        this.handler = handler;
        this.interest = interest;
    }

    /**
     * The loop.
     *
     * @return the loop
     */
    public IOLoop loop() {
        return loop;
    }

    /**
     * The channel.
     *
     * @return the channel
     */
    public SelectableChannel channel() {
        return key.channel();
    }

    /**
     * The operations currently waited for.
     *
     * @return the operations currently waited for
     */
    public int interest() {
        return interest;
    }

    /**
     * Sets the operations to wait for; a no-op when unchanged or when cancelled.
     *
     * @param ops the interest set
     */
    public void setInterest(int ops) {
        if (ops == interest || !key.isValid()) {
            return;
        }
        interest = ops;
        try {
            key.interestOps(ops);
        } catch (CancelledKeyException ignored) {
            // The channel was closed under us; nothing to wait for any more.
        }
    }

    /**
     * Adds {@code ops} to the interest set.
     *
     * @param ops the interest set
     */
    public void addInterest(int ops) {
        setInterest(interest | ops);
    }

    /**
     * Removes {@code ops} from the interest set.
     *
     * @param ops the interest set
     */
    public void removeInterest(int ops) {
        setInterest(interest & ~ops);
    }

    /** Unregisters the channel from the loop (Tornado's {@code remove_handler}); idempotent. */
    public void cancel() {
        key.cancel();
    }

    /**
     * Whether it is valid.
     *
     * @return whether it is valid
     */
    public boolean isValid() {
        return key.isValid();
    }

    void dispatch(int readyOps) {
        handler.handleEvents(readyOps);
    }

    IOHandler handler() {
        return handler;
    }
}
