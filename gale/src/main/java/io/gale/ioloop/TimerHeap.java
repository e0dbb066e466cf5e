package io.gale.ioloop;

import java.util.Arrays;

/**
 * Binary min-heap of {@link Timeout}s ordered by (deadline, sequence), with each entry knowing its
 * own index so that removal of a cancelled timer is O(log n) and frees its slot at once (a plain
 * {@code PriorityQueue} would need O(n) removal or leave dead entries behind).
 *
 * <p>Threading: loop thread only.
 */
final class TimerHeap {
    private Timeout[] heap = new Timeout[64];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Timeout peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Timeout t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        siftUp(i, t);
    }

    Timeout poll() {
        if (size == 0) {
            return null;
        }
        Timeout first = heap[0];
        removeAt(0);
        return first;
    }

    /** Removes t if it is in the heap. */
    void remove(Timeout t) {
        int i = t.heapIndex;
        if (i >= 0 && i < size && heap[i] == t) {
            removeAt(i);
        }
    }

    private void removeAt(int i) {
        Timeout removed = heap[i];
        removed.heapIndex = -1;
        int last = --size;
        Timeout moved = heap[last];
        heap[last] = null;
        if (i != last) {
            siftDown(i, moved);
            if (heap[i] == moved) {
                siftUp(i, moved);
            }
        }
        // Shrink after mass cancellation so 100k dead timers do not pin a large array.
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, Math.max(64, heap.length / 2));
        }
    }

    private static boolean less(Timeout a, Timeout b) {
        long d = a.deadline - b.deadline; // overflow-safe comparison of nanoTime values
        return d < 0 || (d == 0 && a.sequence < b.sequence);
    }

    private void siftUp(int i, Timeout t) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timeout p = heap[parent];
            if (!less(t, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i, Timeout t) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Timeout c = heap[child];
            int right = child + 1;
            if (right < size && less(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!less(c, t)) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}
