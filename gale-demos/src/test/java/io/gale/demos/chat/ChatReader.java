package io.gale.demos.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the chat page's script does, for tests: one long poll after another on a chat server,
 * each with the cursor of the last message received, every message's body handed to a queue in
 * order. A failed poll (the server's answer to a poll that waited past the client's timeout, say)
 * is simply sent again. Runs on a thread of its own until closed.
 */
final class ChatReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChatClient client;
    private final LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    ChatReader(ChatClient client) {
        this.client = client;
        this.thread = Thread.ofPlatform().daemon().name("chat-reader").start(this::run);
    }

    private void run() {
        String cursor = null;
        while (!closed) {
            try {
                Map<String, String> fields = new HashMap<>();
                if (cursor != null) {
                    fields.put("cursor", cursor);
                }
                HttpResponse<String> r = client.post("/a/message/updates", fields);
                if (r.statusCode() != 200) {
                    continue;
                }
                for (JsonNode m : JSON.readTree(r.body()).get("messages")) {
                    cursor = m.get("id").asText();
                    bodies.add(m.get("body").asText());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** The next body received, waiting up to {@code timeout}; null if none came. */
    String next(Duration timeout) throws InterruptedException {
        return bodies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
