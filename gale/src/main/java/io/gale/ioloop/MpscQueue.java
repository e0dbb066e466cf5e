package io.gale.ioloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Unbounded lock-free multi-producer single-consumer queue (an intrusive linked list in the style
 * of Vyukov's MPSC queue): {@link #offer} is one {@code getAndSet} plus a release store, so
 * producers never wait on each other or on the consumer.
 *
 * <p>Threading: {@link #offer} from any thread; {@link #poll} and {@link #isEmpty} only from the
 * single consumer (the loop thread). Per producer, elements come out in the order they went in.
 */
final class MpscQueue<E> {
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final class Node<E> {
        E value;
        @SuppressWarnings("unused") // accessed through NEXT
        Node<E> next;

        Node(E value) {
            this.value = value;
        }
    }

    private final AtomicReference<Node<E>> tail;
    private Node<E> head; // consumer-owned; the sentinel whose successor is the first element

    MpscQueue() {
        Node<E> stub = new Node<>(null);
        head = stub;
        tail = new AtomicReference<>(stub);
    }

    void offer(E value) {
        Node<E> node = new Node<>(value);
        Node<E> prev = tail.getAndSet(node);
        NEXT.setRelease(prev, node);
    }

    /**
     * Returns the next element or null. May return null while {@link #isEmpty} is false: a
     * producer has swapped the tail but not yet linked its node; the element appears shortly.
     */
    @SuppressWarnings("unchecked")
    E poll() {
        Node<E> next = (Node<E>) NEXT.getAcquire(head);
        if (next == null) {
            return null;
        }
        E value = next.value;
        next.value = null; // the node becomes the sentinel; do not keep the element alive
        head = next;
        return value;
    }

    /** True when no element is queued or being queued. */
    boolean isEmpty() {
        return head == tail.get();
    }
}
