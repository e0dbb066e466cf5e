package io.gale.pubsub;

import io.gale.concurrent.Futures;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.iostream.IOStream;
import io.gale.net.ConnectOptions;
import io.gale.net.TcpClient;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a Redis server that stays up: connects, shakes hands ({@code AUTH} when the
 * address has credentials, else {@code PING}, so that a server that refuses the client — wrong
 * password, {@code max number of clients reached} — is a failed attempt with its reason, not a
 * connection that breaks on its first command), reads RESP2 values and hands them to its {@link Handler}, and when the
 * connection is lost reconnects after a {@link Backoff} delay, for ever, until closed.
 *
 * <p>States: connecting → handshake → connected → lost → connecting … → closed. Only in
 * the connected state does {@link #send} write; the handler hears {@link Handler#onConnected}
 * each time it becomes connected and {@link Handler#onDisconnected} each time a connected
 * connection is lost. The first attempt is special: {@link #start()}'s future fails with its
 * error and the connection closes, so a wrong address is reported rather than retried for ever.
 *
 * <p>Threading: loop-confined (the PubSub's own loop); {@link #isConnected()} may be read from any
 * thread.
 */
final class RedisConnection {
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);
    }

    /** The role on top of the connection (publisher or subscriber). Called on the loop. */
    interface Handler {
        void onConnected();

        void onValue(Object value);

        void onDisconnected(Throwable cause);
    }

    private enum State { CONNECTING, HANDSHAKE, CONNECTED, LOST, CLOSED }

    private final String name;
    private final BrokerAddress address;
    private final IOLoop loop;
    private final PubSubLimits limits;
    private final Counters counters;
    private final Handler handler;
    private final Backoff backoff;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final TcpClient tcp = new TcpClient();

    private State state = State.LOST;
    private volatile boolean connected;
    private boolean everConnected;
    private IOStream stream;
    private Timeout handshakeTimer;
    private Throwable lastError;

    RedisConnection(String name, BrokerAddress address, IOLoop loop, PubSubLimits limits, Counters counters,
                    Handler handler) {
        this.name = name;
        this.address = address;
        this.loop = loop;
        this.limits = limits;
        this.counters = counters;
        this.handler = handler;
        this.backoff = new Backoff(limits);
    }

    /** Makes the first attempt; the future tells how it went. Loop thread. */
    CompletableFuture<Void> start() {
        attempt();
        return started;
    }

    boolean isConnected() {
        return connected;
    }

    /** Why the connection was last lost or failed (for error messages), or null. */
    Throwable lastError() {
        return lastError;
    }

    /** Writes a command; only while connected (callers check {@link #isConnected()}). */
    void send(byte[] command) {
        stream.write(command);
    }

    /**
     * Drops the current connection as if the server had closed it ({@code reason} is what the
     * handler hears); it reconnects as after any loss. Loop thread.
     */
    void abort(Throwable reason) {
        if (stream != null) {
            stream.close(reason);
        }
    }

    /** Closes for good. Loop thread. */
    void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasConnected = state == State.CONNECTED;
        state = State.CLOSED;
        connected = false;
        cancelHandshakeTimer();
        if (stream != null) {
            stream.close();
        }
        started.completeExceptionally(new PubSubException("closed before connecting to " + address));
        if (wasConnected) {
            handler.onDisconnected(new PubSubException("PubSub closed"));
        }
    }

    private void attempt() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CONNECTING;
        ConnectOptions options = ConnectOptions.builder().loop(loop).timeout(limits.connectTimeout())
            .maxBufferSize(Math.max(limits.maxMessageSize(), limits.maxChannelLength()) + 64L * 1024).build();
        tcp.connect(address.host(), address.port(), options).whenComplete((s, error) -> {
            if (error != null) {
                failed(Futures.unwrap(error));
            } else if (state == State.CLOSED) {
                s.close();
            } else {
                opened(s);
            }
        });
    }

    private void opened(IOStream s) {
        stream = s;
        s.setNoDelay(true);
        s.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        RespReader reader = new RespReader(Math.max(limits.maxMessageSize(), limits.maxChannelLength()));
        s.setCloseCallback(() -> lost(s));
        state = State.HANDSHAKE;
        // Connect and handshake share one deadline: a server that accepts but never answers is
        // a failed attempt, not a hang.
        handshakeTimer = loop.callLater(limits.connectTimeout().toNanos(), TimeUnit.NANOSECONDS,
            () -> s.close(new TimeoutException("no answer to the handshake from " + address + " within "
                + limits.connectTimeout())));
        if (address.password() == null) {
            s.write(RespWriter.command("PING"));
        } else {
            s.write(address.user() == null ? RespWriter.command("AUTH", address.password())
                : RespWriter.command("AUTH", address.user(), address.password()));
        }
        // Last: bytes already buffered are read at once, and must find the state set.
        s.readStreaming(data -> receive(s, reader, data));
    }

    private boolean receive(IOStream s, RespReader reader, ByteBuffer data) {
        for (;;) {
            if (s != stream || state == State.CLOSED) {
                return false;
            }
            Object value;
            try {
                value = reader.read(data);
            } catch (RespProtocolException e) {
                Log.LOG.warn("{}: malformed reply from {}, reconnecting: {}", name, address, e.getMessage());
                throw e; // closes the stream; its close callback reconnects
            }
            if (value == RespReader.NEED_MORE) {
                return true;
            }
            if (state == State.HANDSHAKE) {
                handshake(s, value);
            } else {
                handler.onValue(value);
            }
        }
    }

    private void handshake(IOStream s, Object reply) {
        if (reply instanceof RespError e) {
            s.close(new PubSubException("Redis at " + address + " refused "
                + (address.password() == null ? "the client" : "AUTH") + ": " + e.message()));
        } else {
            becomeConnected();
        }
    }

    private void becomeConnected() {
        cancelHandshakeTimer();
        state = State.CONNECTED;
        connected = true;
        backoff.reset();
        if (everConnected) {
            counters.reconnects.increment();
            Log.LOG.info("{}: reconnected to {}", name, address);
        }
        everConnected = true;
        lastError = null;
        started.complete(null);
        handler.onConnected();
    }

    /** The stream {@code s} closed (by the peer, an error, or us). */
    private void lost(IOStream s) {
        if (s != stream || state == State.CLOSED) {
            return;
        }
        boolean wasConnected = state == State.CONNECTED;
        Throwable cause = s.error() != null ? s.error() : new java.io.EOFException("connection closed");
        stream = null;
        connected = false;
        if (wasConnected) {
            Log.LOG.warn("{}: lost the connection to {}: {}", name, address, cause.toString());
            lastError = cause;
            state = State.LOST;
            handler.onDisconnected(cause);
            scheduleRetry();
        } else {
            failed(cause);
        }
    }

    /** An attempt failed before the connection was up. */
    private void failed(Throwable cause) {
        cancelHandshakeTimer();
        if (state == State.CLOSED) {
            return;
        }
        lastError = cause;
        state = State.LOST;
        if (!everConnected) {
            started.completeExceptionally(new PubSubException("cannot connect to " + address + ": " + cause, cause));
            close();
            return;
        }
        if (backoff.attempts() == 0) {
            Log.LOG.warn("{}: cannot reconnect to {} yet, retrying with backoff: {}", name, address, cause.toString());
        }
        scheduleRetry();
    }

    private void scheduleRetry() {
        loop.callLater(backoff.nextDelayNanos(), TimeUnit.NANOSECONDS, this::attempt);
    }

    private void cancelHandshakeTimer() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
    }

    @Override
    public String toString() {
        return name + "[" + address + ", " + state + "]";
    }
}
