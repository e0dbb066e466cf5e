package io.gale.pubsub;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of a {@link PubSub}, and what happens when each is exceeded.
 *
 * <pre>{@code
 * PubSubLimits limits = PubSubLimits.builder()
 *     .subscriberQueueSize(256).overflowPolicy(OverflowPolicy.DISCONNECT).build();
 * PubSub bus = PubSub.connect("redis://127.0.0.1:6379", limits).join();
 * }</pre>
 *
 * @param subscriberQueueSize messages queued for one subscription and not yet handed to its
 *     callback (default 4,096): a slow subscriber (busy loop, slow callback) holds at most this
 *     many; one more is handled by {@code overflowPolicy}
 * @param overflowPolicy what a full subscriber queue does (default {@link OverflowPolicy#DROP_OLDEST});
 *     every discarded message is counted in {@link PubSubStats#dropped()}
 * @param maxMessageSize payload bytes of one message (default 1 MiB, NATS's default
 *     {@code max_payload}): a larger publish fails with {@link PubSubException}; a larger message
 *     arriving from Redis is a protocol error that closes the connection, which then reconnects
 * @param maxChannelLength UTF-8 bytes of a channel name (default 1,024): longer names, empty names
 *     and names with control characters or spaces are refused with {@link IllegalArgumentException}
 * @param maxPendingPublishes publishes sent to the broker and not yet acknowledged (default
 *     10,000; Redis only, whose PUBLISH has a reply): one more fails at once with
 *     {@link PubSubException}, so a stalled broker cannot make the client buffer without bound
 * @param connectTimeout one connection attempt to the broker, TCP and handshake (default 10 s)
 * @param replyTimeout how long the broker may take to acknowledge (default 10 s): a Redis server
 *     that leaves a PUBLISH unanswered this long is taken for dead, its connection closed (every
 *     unacknowledged publish fails) and reopened; a NATS subscription not confirmed by then is
 *     confirmed after the next reconnection
 * @param reconnectMinDelay the first retry after a lost connection (default 100 ms); each failed
 *     attempt doubles the delay (with up to 25% random jitter) ...
 * @param reconnectMaxDelay ... up to this (default 5 s); a successful connection resets it
 */
public record PubSubLimits(int subscriberQueueSize, OverflowPolicy overflowPolicy, int maxMessageSize,
                           int maxChannelLength, int maxPendingPublishes, Duration connectTimeout,
                           Duration replyTimeout, Duration reconnectMinDelay, Duration reconnectMaxDelay) {

    /** The defaults listed on the record components. */
    public static final PubSubLimits DEFAULTS = builder().build();

    /**
     * The defaults listed on the record components ({@link #DEFAULTS}).
     *
     * @return the defaults
     */
    public static PubSubLimits defaults() {
        return DEFAULTS;
    }

    /** Validates the limits: sizes and counts positive, delays positive and ordered. */
    public PubSubLimits {
        Objects.requireNonNull(overflowPolicy, "overflowPolicy");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(replyTimeout, "replyTimeout");
        Objects.requireNonNull(reconnectMinDelay, "reconnectMinDelay");
        Objects.requireNonNull(reconnectMaxDelay, "reconnectMaxDelay");
        if (subscriberQueueSize < 1 || maxMessageSize < 0 || maxChannelLength < 1 || maxPendingPublishes < 1
            || !isPositive(connectTimeout) || !isPositive(replyTimeout) || !isPositive(reconnectMinDelay)
            || reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
            throw new IllegalArgumentException("pub/sub limits must be positive (max delay >= min delay): queue "
                + subscriberQueueSize + ", message " + maxMessageSize + ", channel " + maxChannelLength
                + ", pending " + maxPendingPublishes + ", connect " + connectTimeout + ", reply " + replyTimeout + ", reconnect "
                + reconnectMinDelay + ".." + reconnectMaxDelay);
        }
    }

    private static boolean isPositive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these values, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.subscriberQueueSize = subscriberQueueSize;
        b.overflowPolicy = overflowPolicy;
        b.maxMessageSize = maxMessageSize;
        b.maxChannelLength = maxChannelLength;
        b.maxPendingPublishes = maxPendingPublishes;
        b.connectTimeout = connectTimeout;
        b.replyTimeout = replyTimeout;
        b.reconnectMinDelay = reconnectMinDelay;
        b.reconnectMaxDelay = reconnectMaxDelay;
        return b;
    }

    /** Builder of {@link PubSubLimits}; not thread-safe. */
    public static final class Builder {
        private int subscriberQueueSize = 4096;
        private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;
        private int maxMessageSize = 1024 * 1024;
        private int maxChannelLength = 1024;
        private int maxPendingPublishes = 10_000;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration replyTimeout = Duration.ofSeconds(10);
        private Duration reconnectMinDelay = Duration.ofMillis(100);
        private Duration reconnectMaxDelay = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * See {@link PubSubLimits#subscriberQueueSize()}.
         *
         * @param v messages queued for one subscription and not yet handed to its callback (default 4,096): a slow subscriber (busy loop, slow callback) holds at most this many; one more is handled by {@code overflowPolicy}
         * @return this builder
         */
        public Builder subscriberQueueSize(int v) {
            subscriberQueueSize = v;
            return this;
        }

        /**
         * See {@link PubSubLimits#overflowPolicy()}.
         *
         * @param v what a full subscriber queue does (default {@link OverflowPolicy#DROP_OLDEST}); every discarded message is counted in {@link PubSubStats#dropped()}
         * @return this builder
         */
        public Builder overflowPolicy(OverflowPolicy v) {
            overflowPolicy = v;
            return this;
        }

        /**
         * See {@link PubSubLimits#maxMessageSize()}.
         *
         * @param v payload bytes of one message (default 1 MiB, NATS's default {@code max_payload}): a larger publish fails with {@link PubSubException}; a larger message arriving from Redis is a protocol error that closes the connection, which then reconnects
         * @return this builder
         */
        public Builder maxMessageSize(int v) {
            maxMessageSize = v;
            return this;
        }

        /**
         * See {@link PubSubLimits#maxChannelLength()}.
         *
         * @param v UTF-8 bytes of a channel name (default 1,024): longer names, empty names and names with control characters or spaces are refused with {@link IllegalArgumentException}
         * @return this builder
         */
        public Builder maxChannelLength(int v) {
            maxChannelLength = v;
            return this;
        }

        /**
         * See {@link PubSubLimits#maxPendingPublishes()}.
         *
         * @param v publishes sent to the broker and not yet acknowledged (default 10,000; Redis only, whose PUBLISH has a reply): one more fails at once with {@link PubSubException}, so a stalled broker cannot make the client buffer without bound
         * @return this builder
         */
        public Builder maxPendingPublishes(int v) {
            maxPendingPublishes = v;
            return this;
        }

        /**
         * See {@link PubSubLimits#connectTimeout()}.
         *
         * @param v one connection attempt to the broker, TCP and handshake (default 10 s)
         * @return this builder
         */
        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        /**
         * See {@link PubSubLimits#replyTimeout()}.
         *
         * @param v how long the broker may take to acknowledge (default 10 s): a Redis server that leaves a PUBLISH unanswered this long is taken for dead, its connection closed (every unacknowledged publish fails) and reopened; a NATS subscription not confirmed by then is confirmed after the next reconnection
         * @return this builder
         */
        public Builder replyTimeout(Duration v) {
            replyTimeout = v;
            return this;
        }

        /**
         * See {@link PubSubLimits#reconnectMinDelay()}.
         *
         * @param v the first retry after a lost connection (default 100 ms); each failed attempt doubles the delay (with up to 25% random jitter) ...
         * @return this builder
         */
        public Builder reconnectMinDelay(Duration v) {
            reconnectMinDelay = v;
            return this;
        }

        /**
         * See {@link PubSubLimits#reconnectMaxDelay()}.
         *
         * @param v ... up to this (default 5 s); a successful connection resets it
         * @return this builder
         */
        public Builder reconnectMaxDelay(Duration v) {
            reconnectMaxDelay = v;
            return this;
        }

        /**
         * Builds the limits.
         *
         * @return the pub sub limits
         */
        public PubSubLimits build() {
            return new PubSubLimits(subscriberQueueSize, overflowPolicy, maxMessageSize, maxChannelLength,
                maxPendingPublishes, connectTimeout, replyTimeout, reconnectMinDelay, reconnectMaxDelay);
        }
    }
}
