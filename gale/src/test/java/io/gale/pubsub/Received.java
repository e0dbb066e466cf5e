package io.gale.pubsub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** Messages a test subscriber received, in order, with bounded waits on them (no sleeping). */
final class Received {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<String> texts = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    void add(PubSubMessage m) {
        lock.lock();
        try {
            texts.add(m.text());
            threads.add(Thread.currentThread());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    List<String> texts() {
        lock.lock();
        try {
            return List.copyOf(texts);
        } finally {
            lock.unlock();
        }
    }

    List<Thread> threads() {
        lock.lock();
        try {
            return List.copyOf(threads);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code n} messages arrived; fails with what did arrive otherwise. */
    List<String> await(int n, Duration timeout) throws InterruptedException {
        if (!awaitUntil(l -> l.size() >= n, timeout)) {
            throw new AssertionError("expected " + n + " messages within " + timeout + ", got " + texts().size()
                + ": " + abbreviate(texts()));
        }
        return texts();
    }

    /** Waits until {@code condition} holds for the messages so far; false on timeout. */
    boolean awaitUntil(Predicate<List<String>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!condition.test(texts)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    static String abbreviate(List<String> l) {
        return l.size() <= 20 ? l.toString() : l.subList(0, 10) + " … " + l.subList(l.size() - 10, l.size());
    }
}
