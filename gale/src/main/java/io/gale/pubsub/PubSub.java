package io.gale.pubsub;

import io.gale.ioloop.IOLoop;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Publish/subscribe on named channels, within one JVM or across processes through a broker.
 *
 * <pre>{@code
 * PubSub bus = PubSub.connect("redis://127.0.0.1:6379").join();   // or "nats://…", or PubSub.inProcess()
 * // on a loop thread: the callback runs on this loop
 * Subscription sub = bus.subscribe("room.lobby", m -> System.out.println(m.text()));
 * sub.subscribed().thenCompose(v -> bus.publish("room.lobby", "hello"))
 *    .whenComplete((v, e) -> { if (e != null) System.err.println("not sent: " + e); });
 * ...
 * sub.unsubscribe();
 * bus.close();
 * }</pre>
 *
 * <p><b>Implementations.</b> {@link #inProcess()}: one JVM, fan-out across loops, no broker.
 * {@link #connect(String)} with {@code redis://[user:password@]host[:port]}: Redis pub/sub over
 * Gale's own RESP2 client on an {@link IOLoop}. {@code nats://[user:password@]host[:port]}: NATS
 * core subjects through {@code io.nats:jnats}, an optional dependency the application adds.
 *
 * <p><b>Publishing.</b> The returned future completes when the message was handed to the broker
 * (Redis: the broker acknowledged the PUBLISH; NATS: the client accepted it while connected; in
 * process: it is in every local subscriber's queue), and fails with {@link PubSubException} when
 * it could not be: not connected (a broker restart, for example), the connection lost before the
 * acknowledgement, too many unacknowledged publishes, a message over the size limit, or a closed
 * PubSub. Every publish is counted once, as published or as failed ({@link #stats()}). Messages
 * from one publishing thread reach every subscriber in the order they were published. Delivery is
 * at most once: a message published while a subscriber's own connection is down is not received
 * by it (brokers' pub/sub keeps nothing), and a subscriber's full queue drops per its
 * {@link OverflowPolicy}, counted. The publish future may complete on the broker connection's
 * thread: continue on your loop with {@link IOLoop#addFuture}.
 *
 * <p><b>Subscribing.</b> The callback runs on the subscriber's loop, one message at a time, in
 * order, through a bounded queue ({@link PubSubLimits#subscriberQueueSize()}). Several local
 * subscribers of one channel share one broker subscription; each receives every message.
 * {@link Subscription#subscribed()} completes once the broker confirmed the subscription: a
 * message published after that is received.
 *
 * <p><b>Reconnecting.</b> When a broker connection is lost the PubSub reconnects by itself with
 * exponential backoff ({@link PubSubLimits#reconnectMinDelay()} to
 * {@link PubSubLimits#reconnectMaxDelay()}) and subscribes to every channel again; subscriptions
 * stay valid across it. While disconnected, publishes fail at once.
 *
 * <p><b>Threading.</b> Every method is safe from any thread. Channel names follow NATS's subject
 * rules, so that an application can switch brokers: non-empty, at most
 * {@link PubSubLimits#maxChannelLength()} UTF-8 bytes, no whitespace or control characters, no
 * {@code *} or {@code >}, and dots only between non-empty tokens ({@code chat.room-1}).
 */
public interface PubSub extends AutoCloseable {

    /**
     * A PubSub for one JVM with the default limits.
     *
     * @return a PubSub for one JVM with the default limits
     */
    static PubSub inProcess() {
        return inProcess(PubSubLimits.DEFAULTS);
    }

    /**
     * A PubSub for one JVM.
     *
     * @param limits the limits
     * @return a PubSub for one JVM
     */
    static PubSub inProcess(PubSubLimits limits) {
        return new InProcessPubSub(limits);
    }

    /**
     * {@link #connect(String, PubSubLimits)} with the default limits.
     *
     * @param uri the URI
     * @return a future of the pub sub
     */
    static CompletableFuture<PubSub> connect(String uri) {
        return connect(uri, PubSubLimits.DEFAULTS);
    }

    /**
     * Connects to a broker named by {@code uri}: {@code redis://[user:password@]host[:port]}
     * (port 6379 by default) or {@code nats://[user:password@]host[:port]} (port 4222 by default).
     * The future completes once the first connection is up, and fails if the first attempt fails
     * (a misconfigured address should stop a server at start-up); later losses reconnect by
     * themselves. Returns at once; safe from any thread.
     *
     * @param uri the URI
     * @param limits the limits
     * @return a future of the pub sub
     * @throws IllegalArgumentException for another scheme or a malformed address
     * @throws IllegalStateException for {@code nats://} when {@code io.nats:jnats} is not on the
     *     class or module path
     */
    static CompletableFuture<PubSub> connect(String uri, PubSubLimits limits) {
        return BrokerAddress.parse(uri).connect(limits);
    }

    /**
     * Publishes {@code payload} to {@code channel}. The array is not copied: do not modify it
     * afterwards. See the class comment for when the future completes or fails.
     *
     * @param channel the channel
     * @param payload the payload
     * @return a future that completes when it is done, or fails with the error
     * @throws IllegalArgumentException for an invalid channel name
     */
    CompletableFuture<Void> publish(String channel, byte[] payload);

    /**
     * Publishes {@code text} encoded as UTF-8.
     *
     * @param channel the channel
     * @param text the text
     * @return a future that completes when it is done, or fails with the error
     */
    default CompletableFuture<Void> publish(String channel, String text) {
        return publish(channel, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Subscribes {@code callback} on the caller's loop ({@link IOLoop#current()}).
     *
     * @param channel the channel
     * @param callback the callback
     * @return the subscription
     * @throws IllegalStateException if the caller is on no loop
     */
    default Subscription subscribe(String channel, Consumer<PubSubMessage> callback) {
        IOLoop loop = IOLoop.current();
        if (loop == null) {
            throw new IllegalStateException(
                "PubSub.subscribe needs a loop: call it on an IOLoop thread or pass the loop");
        }
        return subscribe(channel, callback, loop);
    }

    /**
     * Subscribes {@code callback} to {@code channel}; it runs on {@code loop}. An exception it
     * throws is logged and counted ({@link PubSubStats#handlerErrors()}); delivery goes on.
     *
     * @param channel the channel
     * @param callback the callback
     * @param loop the loop
     * @return the subscription
     * @throws IllegalArgumentException for an invalid channel name
     * @throws IllegalStateException if this PubSub is closed
     */
    Subscription subscribe(String channel, Consumer<PubSubMessage> callback, IOLoop loop);

    /**
     * The counters (readable in process, for tests and metrics).
     *
     * @return the counters (readable in process, for tests and metrics)
     */
    PubSubStats stats();

    /**
     * The limits this PubSub was created with.
     *
     * @return the limits this PubSub was created with
     */
    PubSubLimits limits();

    /**
     * Closes the broker connections and ends every subscription ({@link Subscription#closed()}
     * completes); later publishes fail. Idempotent; safe from any thread. Redis closes on its own
     * loop and returns at once; NATS waits for jnats's close (it flushes what is queued), so call
     * it off a loop thread there.
     */
    @Override
    void close();
}
