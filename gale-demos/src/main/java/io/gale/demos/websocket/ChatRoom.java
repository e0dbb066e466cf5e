package io.gale.demos.websocket;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gale.websocket.WebSocketMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The chat's shared state: the connected sockets and the most recent messages (Tornado's
 * {@code ChatSocketHandler.waiters} and {@code cache}).
 *
 * <p><b>Threading.</b> Thread-safe: the sockets live on different loops (the server runs one per
 * core). One lock orders everything: a message enters the cache and is handed to every connected
 * socket under it, and a newcomer joins and is sent the cache under it. So every client sees the
 * messages in cache order, and a newcomer gets each message exactly once, from the cache or from
 * the broadcast, never both and never neither. The lock is held only to queue writes: a write to a
 * socket on another loop is a hand-off ({@code addCallback}), not I/O.
 */
final class ChatRoom {
    /** Tornado's {@code cache_size}. */
    static final int CACHE_SIZE = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a chat message goes: a connected socket. */
    interface Member {
        void send(WebSocketMessage message);
    }

    private final Object lock = new Object();
    private final Set<Member> members = new HashSet<>();
    private final ArrayDeque<WebSocketMessage> cache = new ArrayDeque<>(CACHE_SIZE);

    /** Adds {@code m} and sends it the cached messages, oldest first. */
    void join(Member m) {
        synchronized (lock) {
            for (WebSocketMessage cached : cache) {
                m.send(cached);
            }
            members.add(m);
        }
    }

    /** Removes {@code m}; nothing more is sent to it. */
    void leave(Member m) {
        synchronized (lock) {
            members.remove(m);
        }
    }

    /** A fresh message id. */
    static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * A new message ({@code html} its rendering, from {@code message.html}): caches it and sends
     * it to everyone as {@code {"id", "body", "html"}}. The JSON text is built once and framed
     * once for all members ({@link WebSocketMessage#prepare}).
     *
     * @return the message as sent
     */
    WebSocketMessage post(String id, String body, String html) {
        ObjectNode chat = JSON.createObjectNode();
        chat.put("id", id);
        chat.put("body", body);
        chat.put("html", html);
        WebSocketMessage message = WebSocketMessage.prepare(chat.toString());
        synchronized (lock) {
            if (cache.size() == CACHE_SIZE) {
                cache.removeFirst();
            }
            cache.addLast(message);
            for (Member m : members) {
                m.send(message);
            }
        }
        return message;
    }

    /** The cached messages, oldest first (a copy). */
    List<WebSocketMessage> cached() {
        synchronized (lock) {
            return new ArrayList<>(cache);
        }
    }

    /** How many sockets are connected. */
    int size() {
        synchronized (lock) {
            return members.size();
        }
    }
}
