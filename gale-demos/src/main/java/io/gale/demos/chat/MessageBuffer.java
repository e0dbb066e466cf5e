package io.gale.demos.chat;

import io.gale.ioloop.IOLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The room's memory (Tornado's {@code MessageBuffer}): the last {@link #CACHE_SIZE} messages and
 * the long polls waiting for the next one.
 *
 * <p>A long poll asks for the messages after its cursor (the id of the last message it has). If
 * there are some, it has its answer at once; otherwise it becomes a {@link Waiter} until
 * {@link #add} wakes every waiter with what it missed. A waiter whose client leaves is
 * {@linkplain Waiter#cancel() cancelled}, which removes it, so {@link #waiting()} counts exactly
 * the long polls still open. A cursor may name a message that has not reached this buffer yet
 * (its poster got the answer before the message came back from the channel): that waiter sleeps
 * through the arrival of its own cursor and wakes with the message after it. Where Tornado's demo keeps a {@code Condition} and every woken
 * coroutine re-reads the cache, the buffer computes each waiter's messages itself, under the lock
 * that adds the message, so none can be missed between the wake-up and the read.
 *
 * <p><b>Threading.</b> Thread-safe: the long polls live on the server's loops (one per core) and
 * messages arrive on the loop of the room's subscription. One lock guards the cache and the
 * waiters; it is held to compute and detach, never while a waiter's future completes. A waiter's
 * future completes on the loop it was created for (a hand-off with {@code addCallback}), so the
 * handler's continuation runs on its own loop.
 *
 * <p><b>Cursors.</b> An unknown cursor (no cursor, or one so old it left the cache) gets the whole
 * cache, as in Tornado: a client that fell behind catches up on what is kept and drops duplicates
 * by id.
 */
final class MessageBuffer {
    /** Tornado's {@code cache_size}. */
    static final int CACHE_SIZE = 200;

    private final Object lock = new Object();
    private final ArrayDeque<Message> cache = new ArrayDeque<>(CACHE_SIZE);
    private final Set<Waiter> waiters = new LinkedHashSet<>();

    /** A long poll waiting for messages after {@code cursor}. */
    final class Waiter {
        private final String cursor;
        private final IOLoop loop;
        private final CompletableFuture<List<Message>> messages = new CompletableFuture<>();

        private Waiter(String cursor, IOLoop loop) {
            this.cursor = cursor;
            this.loop = loop;
        }

        /**
         * The messages after the cursor (at least one), on the waiter's loop. Never completes for
         * a cancelled waiter: its client is gone and nothing should answer it.
         */
        CompletableFuture<List<Message>> messages() {
            return messages;
        }

        /** The client left: stop waiting. Idempotent; no effect once the messages were handed over. */
        void cancel() {
            synchronized (lock) {
                waiters.remove(this);
            }
        }

        private void deliver(List<Message> found) {
            loop.addCallback(() -> messages.complete(found));
        }
    }

    /**
     * A waiter for the messages after {@code cursor} (null: from the start of the cache). It is
     * complete at once when there are some, else it waits for {@link #add}; its future completes
     * on {@code loop}.
     */
    Waiter waitForMessagesSince(String cursor, IOLoop loop) {
        Waiter w = new Waiter(cursor, loop);
        synchronized (lock) {
            List<Message> found = messagesSince(cursor);
            if (found.isEmpty()) {
                waiters.add(w);
                return w;
            }
            w.messages.complete(found); // already on the caller's thread: no hop
        }
        return w;
    }

    /** Adds {@code m} to the cache (dropping the oldest beyond {@link #CACHE_SIZE}) and wakes every waiter. */
    void add(Message m) {
        add(m, () -> { });
    }

    /**
     * {@link #add(Message)}, running {@code added} once {@code m} is in the cache and before any
     * waiter is woken (so what {@code added} hands to a loop runs there before the wake-ups).
     */
    void add(Message m, Runnable added) {
        List<Waiter> woken;
        List<List<Message>> answers;
        synchronized (lock) {
            if (cache.size() == CACHE_SIZE) {
                cache.removeFirst();
            }
            cache.addLast(m);
            woken = new ArrayList<>(waiters.size());
            answers = new ArrayList<>(waiters.size());
            // Nearly every waiter's cursor is the message before this one: they share one answer.
            List<Message> justThis = List.of(m);
            String previous = secondNewestId();
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                List<Message> found = Objects.equals(w.cursor, previous) ? justThis : messagesSince(w.cursor);
                if (!found.isEmpty()) { // empty: its cursor is this very message (it knew of it first)
                    it.remove();
                    woken.add(w);
                    answers.add(found);
                }
            }
        }
        added.run();
        for (int i = 0; i < woken.size(); i++) {
            woken.get(i).deliver(answers.get(i));
        }
    }

    /** The cached messages, oldest first (a copy): what the page shows on load. */
    List<Message> messages() {
        synchronized (lock) {
            return new ArrayList<>(cache);
        }
    }

    /** How many long polls are waiting. */
    int waiting() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    /** The messages after {@code cursor}, oldest first; the whole cache if the cursor is not in it. Under the lock. */
    private List<Message> messagesSince(String cursor) {
        List<Message> newer = new ArrayList<>();
        for (Iterator<Message> it = cache.descendingIterator(); it.hasNext(); ) {
            Message m = it.next();
            if (m.id().equals(cursor)) {
                break;
            }
            newer.add(m);
        }
        return newer.reversed();
    }

    /** The id of the message before the newest, or null (then a null cursor is just as far behind). Under the lock. */
    private String secondNewestId() {
        if (cache.size() < 2) {
            return null;
        }
        Iterator<Message> it = cache.descendingIterator();
        it.next();
        return it.next().id();
    }
}
