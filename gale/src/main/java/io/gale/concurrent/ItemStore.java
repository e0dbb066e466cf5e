package io.gale.concurrent;

import java.util.ArrayDeque;
import java.util.Comparator;

/** Where a {@link Queue} keeps its items: the order policy of FIFO, LIFO and priority queues. */
interface ItemStore<T> {
    void add(T item);

    /** Removes and returns the next item; only called when {@link #size()} &gt; 0. */
    T poll();

    int size();

    static <T> ItemStore<T> fifo() {
        ArrayDeque<T> d = new ArrayDeque<>();
        return new ItemStore<>() {
            public void add(T item) {
                d.addLast(item);
            }

            public T poll() {
                return d.pollFirst();
            }

            public int size() {
                return d.size();
            }
        };
    }

    static <T> ItemStore<T> lifo() {
        ArrayDeque<T> d = new ArrayDeque<>();
        return new ItemStore<>() {
            public void add(T item) {
                d.addLast(item);
            }

            public T poll() {
                return d.pollLast();
            }

            public int size() {
                return d.size();
            }
        };
    }

    static <T> ItemStore<T> priority(Comparator<? super T> comparator) {
        java.util.PriorityQueue<T> heap = new java.util.PriorityQueue<>(comparator);
        return new ItemStore<>() {
            public void add(T item) {
                heap.add(item);
            }

            public T poll() {
                return heap.poll();
            }

            public int size() {
                return heap.size();
            }
        };
    }
}
