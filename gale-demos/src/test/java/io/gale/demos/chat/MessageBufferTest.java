package io.gale.demos.chat;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.IOLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The buffer in memory: cursors, waking, cancelling, the loop a waiter completes on. */
@Timeout(30)
class MessageBufferTest {
    private final IOLoop loop = new IOLoop();
    private final MessageBuffer buffer = new MessageBuffer();

    @AfterEach
    void close() {
        loop.close();
    }

    private static Message m(String id) {
        return new Message(id, "body " + id, "<div>" + id + "</div>");
    }

    @Test
    void aWaiterWithNewerMessagesIsCompleteAtOnce() throws Exception {
        buffer.add(m("a"));
        buffer.add(m("b"));
        buffer.add(m("c"));
        assertThat(buffer.waitForMessagesSince("a", loop).messages().getNow(null)).extracting(Message::id)
                .containsExactly("b", "c");
        assertThat(buffer.waitForMessagesSince(null, loop).messages().getNow(null)).hasSize(3);
        assertThat(buffer.waitForMessagesSince("unknown", loop).messages().getNow(null)).hasSize(3);
        assertThat(buffer.waiting()).isZero();
    }

    @Test
    void theNextMessageWakesEveryWaiterOnItsLoop() throws Exception {
        loop.startInBackground();
        buffer.add(m("a"));
        MessageBuffer.Waiter w1 = buffer.waitForMessagesSince("a", loop);
        MessageBuffer.Waiter w2 = buffer.waitForMessagesSince("a", loop);
        assertThat(buffer.waiting()).isEqualTo(2);
        assertThat(w1.messages()).isNotDone();

        Thread[] completedOn = new Thread[1];
        CompletableFuture<List<Message>> seen = w1.messages().thenApply(ms -> {
            completedOn[0] = Thread.currentThread();
            return ms;
        });
        buffer.add(m("b"));
        assertThat(buffer.waiting()).isZero();
        List<Message> got = seen.get(10, SECONDS);
        assertThat(got).extracting(Message::id).containsExactly("b");
        assertThat(w2.messages().get(10, SECONDS)).extracting(Message::id).containsExactly("b");
        assertThat(completedOn[0].getName()).isEqualTo(loop.name());
    }

    @Test
    void aWaiterWhoseCursorArrivesLaterSleepsThroughIt() throws Exception {
        loop.startInBackground();
        MessageBuffer.Waiter w = buffer.waitForMessagesSince("x", loop); // its poster knew of x first
        buffer.add(m("x"));
        assertThat(buffer.waiting()).isEqualTo(1);
        assertThat(w.messages()).isNotDone();
        buffer.add(m("y"));
        assertThat(w.messages().get(10, SECONDS)).extracting(Message::id).containsExactly("y");
    }

    @Test
    void whatRunsOnAddSeesTheMessageBeforeAnyWaiterIsWoken() throws Exception {
        loop.startInBackground();
        buffer.add(m("a"));
        MessageBuffer.Waiter w = buffer.waitForMessagesSince("a", loop);
        List<String> seen = new java.util.ArrayList<>();
        CompletableFuture<Void> ran = new CompletableFuture<>();
        loop.addCallback(() -> {
            // On the waiter's loop: its wake-up is queued behind this task, so it cannot be done yet.
            buffer.add(m("b"), () -> {
                seen.add(buffer.messages().get(1).id());
                seen.add(w.messages().isDone() ? "woken" : "waiting");
            });
            ran.complete(null);
        });
        ran.get(10, SECONDS);
        assertThat(seen).containsExactly("b", "waiting");
        assertThat(w.messages().get(10, SECONDS)).extracting(Message::id).containsExactly("b");
    }

    @Test
    void aCancelledWaiterIsRemovedAndNeverAnswered() {
        buffer.add(m("a"));
        MessageBuffer.Waiter w = buffer.waitForMessagesSince("a", loop);
        w.cancel();
        w.cancel();
        assertThat(buffer.waiting()).isZero();
        buffer.add(m("b"));
        assertThat(w.messages()).isNotDone();
    }

    @Test
    void theCacheKeepsTheNewest200() {
        for (int i = 0; i < 450; i++) {
            buffer.add(m("m" + i));
        }
        List<Message> kept = buffer.messages();
        assertThat(kept).hasSize(MessageBuffer.CACHE_SIZE);
        assertThat(kept.get(0).id()).isEqualTo("m250");
        assertThat(kept.get(199).id()).isEqualTo("m449");
        // A cursor that left the cache gets the whole cache.
        assertThat(buffer.waitForMessagesSince("m3", loop).messages().getNow(null)).hasSize(200);
    }
}
