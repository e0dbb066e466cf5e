package io.gale.pubsub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribing half of {@link RedisPubSub}: one connection in Redis's subscribe mode holding
 * every channel this process listens to, each {@code message} push handed to the
 * {@link LocalFanout} once.
 *
 * <p>The wanted channels are kept here; on every (re)connection they are all subscribed again,
 * {@value #CHANNELS_PER_COMMAND} per {@code SUBSCRIBE}. A channel's confirmation completes when
 * every {@code SUBSCRIBE} sent for it has been answered, so subscribe, unsubscribe, subscribe in
 * quick succession is confirmed by the last answer, not the first.
 *
 * <p>Threading: loop-confined (the PubSub's loop); the {@link LocalFanout.BrokerLink} calls hop
 * there through {@link RedisPubSub}.
 */
final class RedisSubscriber implements RedisConnection.Handler {
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(RedisSubscriber.class);
    }
    static final int CHANNELS_PER_COMMAND = 100;
    private static final byte[] MESSAGE = bytes("message");
    private static final byte[] SUBSCRIBE = bytes("subscribe");

    private final Map<String, CompletableFuture<Void>> wanted = new HashMap<>();
    private final Map<String, Integer> unanswered = new HashMap<>();
    private LocalFanout fanout;
    private RedisConnection connection;

    void attach(RedisConnection connection, LocalFanout fanout) {
        this.connection = connection;
        this.fanout = fanout;
    }

    RedisConnection connection() {
        return connection;
    }

    void subscribe(String channel, CompletableFuture<Void> confirmation) {
        wanted.put(channel, confirmation);
        if (connection.isConnected()) {
            send("SUBSCRIBE", List.of(channel));
        }
    }

    void unsubscribe(String channel) {
        wanted.remove(channel);
        if (connection.isConnected()) {
            connection.send(RespWriter.command("UNSUBSCRIBE", channel));
        }
    }

    private void send(String command, List<String> channels) {
        for (int i = 0; i < channels.size(); i += CHANNELS_PER_COMMAND) {
            List<String> part = channels.subList(i, Math.min(channels.size(), i + CHANNELS_PER_COMMAND));
            String[] args = new String[part.size() + 1];
            args[0] = command;
            for (int j = 0; j < part.size(); j++) {
                args[j + 1] = part.get(j);
                unanswered.merge(part.get(j), 1, Integer::sum);
            }
            connection.send(RespWriter.command(args));
        }
    }

    @Override
    public void onConnected() {
        unanswered.clear();
        if (!wanted.isEmpty()) {
            send("SUBSCRIBE", new ArrayList<>(wanted.keySet()));
        }
    }

    @Override
    public void onValue(Object value) {
        if (value instanceof List<?> push && push.size() >= 3 && push.get(0) instanceof byte[] kind
            && push.get(1) instanceof byte[] channel) {
            if (Arrays.equals(kind, MESSAGE) && push.size() == 3 && push.get(2) instanceof byte[] payload) {
                fanout.deliver(new String(channel, StandardCharsets.UTF_8), payload);
                return;
            }
            if (Arrays.equals(kind, SUBSCRIBE)) {
                confirmed(new String(channel, StandardCharsets.UTF_8));
                return;
            }
            return; // unsubscribe confirmations, pongs: nothing to do
        }
        if (value instanceof RespError e) {
            Log.LOG.warn("Redis answered the subscriber connection with an error: {}", e.message());
            return;
        }
        throw new RespProtocolException("unexpected value on a subscriber connection: "
            + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    private void confirmed(String channel) {
        Integer left = unanswered.get(channel);
        if (left == null || left <= 1) {
            unanswered.remove(channel);
            CompletableFuture<Void> f = wanted.get(channel);
            if (f != null) {
                f.complete(null);
            }
        } else {
            unanswered.put(channel, left - 1);
        }
    }

    @Override
    public void onDisconnected(Throwable cause) {
        unanswered.clear();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
