package io.gale.bench.echo;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size, reused by the connections of one loop thread (so no locking), at
 * most {@link #MAX_RETAINED} kept; beyond that released buffers are left to the GC.
 *
 * <p>Threading: one instance per loop thread ({@link #current}).
 */
final class BufferPool {
    static final int MAX_RETAINED = 256;
    private static final ThreadLocal<BufferPool> CURRENT = new ThreadLocal<>();

    private final int size;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    private BufferPool(int size) {
        this.size = size;
    }

    static BufferPool current(int size) {
        BufferPool p = CURRENT.get();
        if (p == null || p.size != size) {
            p = new BufferPool(size);
            CURRENT.set(p);
        }
        return p;
    }

    ByteBuffer acquire() {
        ByteBuffer b = free.pollFirst();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(size);
    }

    void release(ByteBuffer b) {
        if (b.isDirect() && b.capacity() == size && free.size() < MAX_RETAINED) {
            free.addFirst(b);
        }
    }
}
