package io.gale.websocket;

import io.gale.ioloop.IOLoop;
import io.gale.pubsub.PubSub;
import io.gale.pubsub.PubSubMessage;
import io.gale.pubsub.Subscription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Broadcasts the messages of {@link PubSub} channels to this process's WebSocket connections: a
 * connection {@linkplain #join joins} a channel, anything {@linkplain #publish published} to the
 * channel (by this process or any other on the same broker) is written to every connection that
 * joined it, here and in every other process. A chat room, a live feed:
 *
 * <pre>{@code
 * WebSocketBroadcaster rooms = new WebSocketBroadcaster(PubSub.connect("redis://127.0.0.1").join(), 200);
 *
 * final class RoomSocket extends WebSocketHandler {
 *     protected CompletionStage<?> open(String... args) {
 *         return rooms.join("chat.lobby", this);      // the last 200 messages first, then every new one
 *     }
 *     protected CompletionStage<?> onMessage(String text) {
 *         return rooms.publish("chat.lobby", text);   // reaches every process's sockets, this one's too
 *     }
 *     protected void onClose() {
 *         rooms.leave("chat.lobby", this);
 *     }
 * }
 * }</pre>
 *
 * <p><b>Encoded once.</b> A channel has one {@link PubSub} subscription per process, however many
 * connections joined it. Each message it receives becomes one {@link WebSocketMessage#prepare
 * prepared} message, framed once (compressed once for connections without server context
 * takeover) and shared by every connection; it is handed to each loop that has members once
 * ({@link IOLoop#addCallback}), and written there to that loop's members. So a message to 1,000
 * connections over 4 loops costs one decoding, one encoding and 4 hand-offs.
 *
 * <p><b>History.</b> With {@code historySize} &gt; 0 the broadcaster keeps a channel's last
 * messages (as received, in the broker's order) and a connection that joins receives them first.
 * A member receives every message exactly once, in order: those before its join from the
 * history, those after it live; the messages of one publisher arrive in the order they were
 * published. Messages are what the channel carries: text, decoded as UTF-8 (malformed bytes
 * become U+FFFD, so a text frame is always valid).
 *
 * <p><b>Lifetime.</b> A channel is subscribed at its first {@link #join} (or {@link #open}) and
 * stays subscribed, with its history, until {@link #release} or {@link #close}: a process that
 * has no member right now still follows the room. A member that closes must {@link #leave}
 * (from {@code onClose}); one whose writes fail because it is closed is dropped too.
 *
 * <p><b>Threading.</b> {@link #join} and {@link #leave} are called on the connection's loop (from
 * {@code open}, {@code onMessage}, {@code onClose}); {@link #publish}, {@link #history},
 * {@link #members}, {@link #open}, {@link #release} and {@link #close} from any thread. A
 * channel's messages arrive on one loop (the loop of the channel's first {@code join}, or the one
 * given to {@code open}); each loop writes to its own members, confined to it. One lock per
 * channel orders the history and the set of loops; it is never held while writing.
 *
 * <p><b>Slow members.</b> Writes are not awaited (one member must not hold up the others), so a
 * member that stops reading would keep every later message queued in its connection. Its queue is
 * bounded instead: before each message, a member whose connection holds more than
 * {@code maxQueuedBytes} not yet taken by the kernel (default {@value #DEFAULT_MAX_QUEUED_BYTES}
 * bytes, 1 MiB) is dropped from every channel it joined here and closed with 1008 (policy
 * violation, reason "reading too slowly"; the close frame waits behind the queue, so the
 * connection ends at the socket's {@code closeTimeout} at the latest). A member therefore pins at
 * most {@code maxQueuedBytes} plus one message; the messages themselves are shared by all
 * members (encoded once), so what a slow member holds is mostly references to them. Dropped
 * members are counted ({@link #slowMembersClosed()}). Per subscriber, the PubSub's bounded
 * queue and overflow policy apply ({@link PubSub}).
 */
public final class WebSocketBroadcaster implements AutoCloseable {
    /** A member with more than this many bytes queued in its connection is closed (see the class comment). */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 1 << 20;

    private final PubSub pubsub;
    private final int historySize;
    private final long maxQueuedBytes;
    private final AtomicLong slowMembersClosed = new AtomicLong();
    private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    /** Held while a channel is created and subscribed (rare), so none is seen half made. */
    private final Object creating = new Object();
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean closed;

    /**
     * A broadcaster over {@code pubsub} (which stays the caller's to close) keeping the last
     * {@code historySize} messages of each channel for newcomers (0: none).
     *
     * @param pubsub the pubsub
     * @param historySize the history size
     */
    public WebSocketBroadcaster(PubSub pubsub, int historySize) {
        this(pubsub, historySize, DEFAULT_MAX_QUEUED_BYTES);
    }

    /**
     * As {@link #WebSocketBroadcaster(PubSub, int)}, closing a member whose connection has more
     * than {@code maxQueuedBytes} queued (see "Slow members" in the class comment).
     *
     * @param pubsub the pubsub
     * @param historySize the history size
     * @param maxQueuedBytes the most a member may have queued before it is closed, at least 1
     */
    public WebSocketBroadcaster(PubSub pubsub, int historySize, long maxQueuedBytes) {
        if (historySize < 0) {
            throw new IllegalArgumentException("historySize must not be negative: " + historySize);
        }
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be positive: " + maxQueuedBytes);
        }
        this.pubsub = Objects.requireNonNull(pubsub, "pubsub");
        this.historySize = historySize;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /**
     * Members closed because they read too slowly (see the class comment), for tests and metrics.
     *
     * @return how many so far
     */
    public long slowMembersClosed() {
        return slowMembersClosed.get();
    }

    /**
     * Subscribes {@code channel} now, receiving its messages on {@code loop}, so that its history
     * fills before anyone joins (a process started after the room began). Completes when the
     * broker confirmed. Idempotent: a channel already subscribed keeps its loop.
     *
     * @param channel the channel
     * @param loop the loop
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> open(String channel, IOLoop loop) {
        return channel(channel, loop).subscription.subscribed();
    }

    /**
     * Adds {@code socket} to {@code channel}: it receives the channel's history at once, then
     * every new message. Call on the socket's loop (from {@code open}). The returned stage
     * completes when the broker confirmed the channel's subscription (returning it from
     * {@code open} holds the socket's incoming messages until then); it fails if the channel
     * could not be subscribed.
     *
     * @param channel the channel
     * @param socket the socket
     * @return a future that completes when it is done, or fails with the error
     * @throws IllegalStateException off the socket's loop, or after {@link #close}
     */
    public CompletableFuture<Void> join(String channel, WebSocketHandler socket) {
        IOLoop loop = requireLoop(socket);
        Channel c = channel(channel, loop);
        List<WebSocketMessage> backlog;
        Group group;
        long joinedAt;
        c.lock.lock();
        try {
            backlog = c.historyMessages();
            joinedAt = c.lastSeq;
            group = c.groups.computeIfAbsent(loop, Group::new);
        } finally {
            c.lock.unlock();
        }
        group.members.put(socket, joinedAt);
        for (WebSocketMessage m : backlog) {
            write(c, group, socket, m);
        }
        return c.subscription.subscribed();
    }

    /**
     * Removes {@code socket} from {@code channel}; nothing more is written to it. Call on the
     * socket's loop (from {@code onClose}). Idempotent.
     *
     * @param channel the channel
     * @param socket the socket
     */
    public void leave(String channel, WebSocketHandler socket) {
        IOLoop loop = requireLoop(socket);
        Channel c = channels.get(channel);
        if (c == null) {
            return;
        }
        Group g = c.groups(loop);
        if (g != null && g.members.remove(socket) != null && g.members.isEmpty()) {
            c.dropIfEmpty(g);
        }
    }

    /**
     * Publishes {@code text} to {@code channel}: every member of the channel in every process
     * receives it, this process's included (when the message comes back from the broker). The
     * future is {@link PubSub#publish}'s: it fails when the broker could not take the message.
     *
     * @param channel the channel
     * @param text the text
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> publish(String channel, String text) {
        return pubsub.publish(channel, text);
    }

    /**
     * The channel's history, oldest first (a copy; empty for a channel not subscribed).
     *
     * @param channel the channel
     * @return the channel's history, oldest first (a copy; empty for a channel not subscribed)
     */
    public List<WebSocketMessage> history(String channel) {
        Channel c = channels.get(channel);
        if (c == null) {
            return List.of();
        }
        c.lock.lock();
        try {
            return c.historyMessages();
        } finally {
            c.lock.unlock();
        }
    }

    /**
     * How many connections of this process joined {@code channel}.
     *
     * @param channel the channel
     * @return how many connections of this process joined {@code channel}
     */
    public int members(String channel) {
        Channel c = channels.get(channel);
        if (c == null) {
            return 0;
        }
        int n = 0;
        for (Group g : c.groupSnapshot()) {
            n += g.members.size();
        }
        return n;
    }

    /**
     * Messages handed to members so far (one per member per message, history included), for tests and metrics.
     *
     * @return the delivered
     */
    public long delivered() {
        return delivered.get();
    }

    /**
     * Unsubscribes {@code channel} and forgets its history and members (nothing more is written
     * to them). For channels that end (a game, a private room); a later join subscribes again.
     *
     * @param channel the channel
     */
    public void release(String channel) {
        Channel c = channels.remove(channel);
        if (c != null) {
            c.subscription.unsubscribe();
        }
    }

    /** Releases every channel. The PubSub stays open (it is the caller's). Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (String name : new ArrayList<>(channels.keySet())) {
            release(name);
        }
    }

    // ------------------------------------------------------------------------------ internals

    private static IOLoop requireLoop(WebSocketHandler socket) {
        IOLoop loop = socket.loop();
        if (!loop.inLoop()) {
            throw new IllegalStateException("join and leave run on the socket's loop (" + loop.name() + ")");
        }
        return loop;
    }

    private Channel channel(String name, IOLoop loop) {
        if (closed) {
            throw new IllegalStateException("WebSocketBroadcaster is closed");
        }
        Channel c = channels.get(name);
        if (c != null) {
            return c;
        }
        synchronized (creating) {
            c = channels.get(name);
            if (c == null) {
                c = new Channel(name);
                c.subscription = pubsub.subscribe(name, c::receive, loop); // does not block
                channels.put(name, c);
            }
            return c;
        }
    }

    private void write(Channel c, Group g, WebSocketHandler socket, WebSocketMessage m) {
        if (socket.queuedBytes() > maxQueuedBytes) {
            dropSlow(socket);
            return;
        }
        // counted before the write: a reader that got the message finds it counted
        delivered.incrementAndGet();
        socket.writeMessage(m).whenComplete((v, e) -> {
            if (e != null && socket.isClosing()) {
                // The socket is gone (its onClose may not have left yet): stop writing to it.
                g.loop.addCallback(() -> {
                    if (g.members.remove(socket) != null && g.members.isEmpty()) {
                        c.dropIfEmpty(g);
                    }
                });
            }
        });
    }

    /**
     * On the socket's loop: takes a member that stopped reading out of every channel's group on
     * this loop (no more is queued for it) and closes it.
     */
    private void dropSlow(WebSocketHandler socket) {
        boolean wasMember = false;
        for (Channel c : channels.values()) {
            Group g = c.groups(socket.loop());
            if (g != null && g.members.remove(socket) != null) {
                wasMember = true;
                if (g.members.isEmpty()) {
                    c.dropIfEmpty(g);
                }
            }
        }
        if (wasMember) {
            slowMembersClosed.incrementAndGet();
            socket.close(CloseCodes.POLICY_VIOLATION, "reading too slowly");
        }
    }

    /** One channel's state in this process. */
    private final class Channel {
        final String name;
        final ReentrantLock lock = new ReentrantLock();
        /** The history, oldest first, with each message's sequence number; under the lock. */
        final ArrayDeque<Sequenced> history = new ArrayDeque<>();
        /** The number of messages received so far; under the lock. */
        long lastSeq;
        /** The loops with members; under the lock. */
        final Map<IOLoop, Group> groups = new HashMap<>();
        /** Set once, before the channel is put in the map (see {@link #channel}). */
        Subscription subscription;

        Channel(String name) {
            this.name = name;
        }

        /** A message from the broker, on the subscription's loop: number it, keep it, hand it to each loop. */
        void receive(PubSubMessage pm) {
            WebSocketMessage m = WebSocketMessage.prepare(pm.text());
            long seq;
            Group[] targets;
            lock.lock();
            try {
                seq = ++lastSeq;
                if (historySize > 0) {
                    if (history.size() == historySize) {
                        history.removeFirst();
                    }
                    history.addLast(new Sequenced(seq, m));
                }
                targets = groups.values().toArray(new Group[0]);
            } finally {
                lock.unlock();
            }
            for (Group g : targets) {
                if (g.loop.inLoop()) {
                    g.deliver(this, seq, m);
                } else {
                    g.loop.addCallback(() -> g.deliver(this, seq, m));
                }
            }
        }

        List<WebSocketMessage> historyMessages() {
            List<WebSocketMessage> out = new ArrayList<>(history.size());
            for (Sequenced s : history) {
                out.add(s.message());
            }
            return out;
        }

        Group groups(IOLoop loop) {
            lock.lock();
            try {
                return groups.get(loop);
            } finally {
                lock.unlock();
            }
        }

        Group[] groupSnapshot() {
            lock.lock();
            try {
                return groups.values().toArray(new Group[0]);
            } finally {
                lock.unlock();
            }
        }

        /** On {@code g}'s loop: forget the group if it is still empty (a join may have refilled it). */
        void dropIfEmpty(Group g) {
            lock.lock();
            try {
                if (g.members.isEmpty() && groups.get(g.loop) == g) {
                    groups.remove(g.loop);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private record Sequenced(long seq, WebSocketMessage message) {
    }

    /** One loop's members of one channel; {@link #members} is confined to the loop. */
    private final class Group {
        final IOLoop loop;
        /**
         * Member → the sequence number of the last message it got from the history. Changed on
         * the loop only; concurrent so that {@link #members(String)} may count from anywhere.
         */
        final Map<WebSocketHandler, Long> members = new ConcurrentHashMap<>();

        Group(IOLoop loop) {
            this.loop = loop;
        }

        /** On the loop: writes message {@code seq} to every member that joined before it. */
        void deliver(Channel c, long seq, WebSocketMessage m) {
            for (Map.Entry<WebSocketHandler, Long> e : members.entrySet()) {
                if (e.getValue() < seq) {
                    write(c, this, e.getKey(), m);
                }
            }
        }
    }
}
