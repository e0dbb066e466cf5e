package io.gale.pubsub;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One message as a subscriber receives it.
 *
 * <p>The payload array is shared by every local subscriber of the channel (it is not copied per
 * subscriber): read it, do not modify it.
 *
 * @param channel the channel it was published to
 * @param payload the bytes as published
 */
public record PubSubMessage(String channel, byte[] payload) {
    /**
     * Creates a {@code PubSubMessage}; its components are described in the class comment.
     */
    public PubSubMessage {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * The payload decoded as UTF-8 (malformed bytes become U+FFFD).
     *
     * @return the payload decoded as UTF-8 (malformed bytes become U+FFFD)
     */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PubSubMessage[" + channel + ", " + payload.length + " bytes]";
    }
}
