package io.gale.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An asynchronous event (Tornado's {@code locks.Event}): a flag that starts false; futures from
 * {@link #await()} complete once it is {@link #set()}.
 *
 * <pre>{@code
 * Event ready = new Event();
 * ready.await().thenRun(() -> System.out.println("ready"));
 * ready.set();
 * }</pre>
 *
 * <p>(Tornado's {@code wait()} is {@code await()} here: {@code Object.wait()} is final.)
 *
 * <p>Threading: thread-safe and non-blocking. {@code await} on a set event returns a completed
 * future. Otherwise the future completes on the loop of the thread that called {@code await} if
 * that was a loop thread, else on the thread that calls {@link #set()} (on timeout: on the
 * timer's loop, {@link io.gale.ioloop.IOLoop#current()} else the default loop). A zero or
 * negative timeout means "now".
 */
public final class Event {
    /** An event, not set. */
    public Event() {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final WaiterList<Void> waiters = new WaiterList<>(lock);
    private boolean set; // guarded by lock

    /**
     * True once {@link #set()} was called (and not {@link #clear()}ed since).
     *
     * @return true once {@link #set()} was called (and not {@link #clear()}ed since)
     */
    public boolean isSet() {
        lock.lock();
        try {
            return set;
        } finally {
            lock.unlock();
        }
    }

    /** Sets the flag and completes every waiting future. */
    public void set() {
        List<Waiter<Void>> granted = new ArrayList<>();
        lock.lock();
        try {
            if (set) {
                return;
            }
            set = true;
            Waiter<Void> w;
            while ((w = waiters.grantNext(null)) != null) {
                granted.add(w);
            }
        } finally {
            lock.unlock();
        }
        granted.forEach(Waiter::deliver);
    }

    /** Resets the flag: later {@link #await()} calls wait for the next {@link #set()}. */
    public void clear() {
        lock.lock();
        try {
            set = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A future that completes once the flag is set.
     *
     * @return a future that completes once the flag is set
     */
    public CompletableFuture<Void> await() {
        return await(null);
    }

    /**
     * A future that completes once the flag is set, or fails with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeout} (null: never).
     *
     * @param timeout the time limit
     * @return a future that completes once the flag is set, or fails with a {@link java.util.concurrent.TimeoutException} after {@code timeout} (null: never)
     */
    public CompletableFuture<Void> await(Duration timeout) {
        Waiter<Void> w;
        lock.lock();
        try {
            if (set) {
                return CompletableFuture.completedFuture(null);
            }
            if (WaiterList.expired(timeout)) {
                return WaiterList.timedOut("Event.await", timeout);
            }
            w = waiters.add("Event.await");
        } finally {
            lock.unlock();
        }
        w.startTimer(timeout);
        return w;
    }

    @Override
    public String toString() {
        return "Event[" + (isSet() ? "set" : "clear") + "]";
    }
}
