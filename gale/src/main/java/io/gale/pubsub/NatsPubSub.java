package io.gale.pubsub;

import io.gale.ioloop.IOLoop;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PubSub} over NATS core subjects with the official Java client ({@code io.nats:jnats}):
 * one connection, one dispatcher thread that hands every message to the {@link LocalFanout}
 * (in order, so order per publisher holds), one NATS subscription per channel with local
 * subscribers.
 *
 * <p>Reconnecting is jnats's own (it resubscribes every subject), with Gale's schedule: the
 * {@link Backoff} doubling from {@link PubSubLimits#reconnectMinDelay()} to
 * {@link PubSubLimits#reconnectMaxDelay()}, without limit on attempts. While the connection is
 * not up, publishes fail at once instead of entering jnats's reconnect buffer; a publish that
 * races a disconnection may still enter it, and is sent on reconnection.
 *
 * <p>Publishing: NATS core has no acknowledgement; the future completes when jnats queued the
 * message for the socket while connected. jnats's outgoing queue holds at most
 * {@link PubSubLimits#maxPendingPublishes()} messages; a full queue fails the publish (after at
 * most 10 ms). A subscription is confirmed by a flush (PING/PONG) after the SUB, so the server
 * has it when {@link Subscription#subscribed()} completes.
 *
 * <p>Blocking calls of jnats (connect, flush, close) run on {@link IOLoop#defaultExecutor()},
 * never on a caller's loop.
 */
final class NatsPubSub implements PubSub {
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(NatsPubSub.class);
    }

    private final BrokerAddress address;
    private final PubSubLimits limits;
    private final Counters counters = new Counters();
    private final Executor blocking = IOLoop.defaultExecutor();
    private final LocalFanout fanout;
    private final List<CompletableFuture<Void>> unconfirmed = new ArrayList<>(); // guarded by itself
    private volatile Connection connection;
    private volatile Dispatcher dispatcher;
    private volatile boolean closed;
    /** False from a disconnection to the reconnection: one log line per outage, not per attempt. */
    private volatile boolean up = true;

    private NatsPubSub(BrokerAddress address, PubSubLimits limits) {
        this.address = address;
        this.limits = limits;
        this.fanout = new LocalFanout(limits, counters, new LocalFanout.BrokerLink() {
            @Override
            public CompletableFuture<Void> subscribe(String channel) {
                dispatcher.subscribe(channel);
                CompletableFuture<Void> confirmation = new CompletableFuture<>();
                confirm(confirmation);
                return confirmation;
            }

            @Override
            public void unsubscribe(String channel) {
                if (connection.getStatus() != Connection.Status.CLOSED) {
                    dispatcher.unsubscribe(channel);
                }
            }
        });
    }

    static CompletableFuture<PubSub> connect(BrokerAddress address, PubSubLimits limits) {
        Objects.requireNonNull(limits, "limits");
        NatsPubSub p = new NatsPubSub(address, limits);
        CompletableFuture<PubSub> result = new CompletableFuture<>();
        p.blocking.execute(() -> {
            try {
                p.open();
                result.complete(p);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                result.completeExceptionally(new PubSubException("cannot connect to " + address + ": " + e, e));
            }
        });
        return result;
    }

    private void open() throws Exception {
        Backoff schedule = new Backoff(limits);
        Options.Builder options = new Options.Builder()
            .server("nats://" + (address.host().indexOf(':') >= 0 ? "[" + address.host() + "]" : address.host())
                + ":" + address.port())
            .connectionName("gale-pubsub")
            .connectionTimeout(limits.connectTimeout())
            .maxReconnects(-1)
            .reconnectDelayHandler(rounds -> {
                long d = schedule.delayFor(rounds);
                return Duration.ofNanos(d - ThreadLocalRandom.current().nextLong(d / 4 + 1));
            })
            .maxMessagesInOutgoingQueue(limits.maxPendingPublishes())
            .writeQueuePushTimeout(Duration.ofMillis(10))
            .connectionListener(this::connectionEvent)
            .errorListener(new ErrorListener() {
                @Override
                public void exceptionOccurred(Connection conn, Exception exp) {
                    Log.LOG.debug("NATS client: {}", exp.toString());
                }
            });
        if (address.user() != null || address.password() != null) {
            options.userInfo(address.user() == null ? "" : address.user(),
                address.password() == null ? "" : address.password());
        }
        Connection c = Nats.connect(options.build());
        dispatcher = c.createDispatcher(m -> {
            byte[] data = m.getData();
            fanout.deliver(m.getSubject(), data == null ? new byte[0] : data);
        });
        connection = c;
    }

    private void connectionEvent(Connection c, ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> {
                if (up && !closed) {
                    up = false;
                    Log.LOG.warn("lost the connection to {}, reconnecting", address);
                }
            }
            case RECONNECTED -> {
                up = true;
                counters.reconnects.increment();
                Log.LOG.info("reconnected to {}", address);
            }
            case RESUBSCRIBED -> {
                List<CompletableFuture<Void>> again;
                synchronized (unconfirmed) {
                    again = new ArrayList<>(unconfirmed);
                    unconfirmed.clear();
                }
                again.forEach(this::confirm);
            }
            default -> {
            }
        }
    }

    /** Completes {@code f} once the server has processed everything sent so far (PING/PONG). */
    private void confirm(CompletableFuture<Void> f) {
        blocking.execute(() -> {
            Connection c = connection;
            try {
                if (c == null || closed) {
                    throw new IllegalStateException("not connected");
                }
                c.flush(limits.replyTimeout());
                f.complete(null);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (closed) {
                    f.completeExceptionally(new PubSubException("PubSub closed"));
                    return;
                }
                // Not connected now: jnats resubscribes on reconnection, confirmed then.
                synchronized (unconfirmed) {
                    unconfirmed.add(f);
                }
                if (c != null && c.getStatus() == Connection.Status.CONNECTED) {
                    confirmAgainLater();
                }
            }
        });
    }

    /** A flush that timed out while connected: try the waiting confirmations once more. */
    private void confirmAgainLater() {
        connectionEvent(connection, ConnectionListener.Events.RESUBSCRIBED);
    }

    @Override
    public CompletableFuture<Void> publish(String channel, byte[] payload) {
        Channels.check(channel, limits);
        Objects.requireNonNull(payload, "payload");
        Connection c = connection;
        if (closed || c == null) {
            return Publishes.failed(counters, new PubSubException("PubSub is closed"));
        }
        if (payload.length > limits.maxMessageSize()) {
            return Publishes.failed(counters, Publishes.tooLarge(payload.length, limits));
        }
        Connection.Status status = c.getStatus();
        if (status != Connection.Status.CONNECTED) {
            return Publishes.failed(counters, new PubSubException("not connected to the NATS server (" + status
                + "): message to '" + channel + "' not sent"));
        }
        try {
            c.publish(channel, payload);
        } catch (RuntimeException e) {
            return Publishes.failed(counters, new PubSubException("NATS client refused the message to '" + channel
                + "': " + e.getMessage(), e));
        }
        counters.published.increment();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Subscription subscribe(String channel, Consumer<PubSubMessage> callback, IOLoop loop) {
        return fanout.add(channel, callback, loop);
    }

    @Override
    public PubSubStats stats() {
        Connection c = connection;
        Dispatcher d = dispatcher;
        PubSubStats s = counters.snapshot(fanout.subscriptionCount(),
            !closed && c != null && c.getStatus() == Connection.Status.CONNECTED);
        long slowConsumerDrops = d == null ? 0 : d.getDroppedCount();
        return slowConsumerDrops == 0 ? s : new PubSubStats(s.published(), s.failedPublishes(), s.received(),
            s.delivered(), s.dropped() + slowConsumerDrops, s.handlerErrors(), s.reconnects(), s.subscriptions(),
            s.connected());
    }

    @Override
    public PubSubLimits limits() {
        return limits;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        fanout.close();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "PubSub[" + address + "]";
    }
}
