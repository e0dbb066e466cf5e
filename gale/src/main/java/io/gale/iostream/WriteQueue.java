package io.gale.iostream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Buffers queued for writing, in order, and the futures of the writes they belong to. The
 * caller's buffers are queued as they are (no copy); the stream owns them until the write's
 * future completes.
 *
 * <p>Positions are counted in bytes since the stream opened: a write's future waits for
 * {@code flushed >= end - highWaterMark}, where {@code end} is the position just after its last
 * byte.
 *
 * <p>Threading: owned by one stream, loop thread only. The deques are created on first use so
 * an idle stream holds none.
 */
final class WriteQueue {
    private record Pending(long end, CompletableFuture<Void> future) {}

    private ArrayDeque<ByteBuffer> buffers;
    private ArrayDeque<Pending> futures;
    /** Total bytes ever queued. */
    private long queued;
    /** Total bytes ever handed to the channel. */
    private long flushed;

    long size() {
        return queued - flushed;
    }

    boolean hasData() {
        return queued != flushed;
    }

    /** Queues {@code bufs} (their remaining bytes, total {@code total}) with one future. */
    void add(ByteBuffer[] bufs, long total, CompletableFuture<Void> future) {
        if (buffers == null) {
            buffers = new ArrayDeque<>(4);
            futures = new ArrayDeque<>(4);
        }
        for (ByteBuffer b : bufs) {
            if (b.hasRemaining()) {
                buffers.add(b);
            }
        }
        queued += total;
        futures.add(new Pending(queued, future));
    }

    /**
     * Hands as much as the channel takes to {@code stream.writeToChannel}, gathering up to
     * {@code gather.length} buffers per call.
     *
     * @return bytes written by this call
     */
    long writeTo(IOStream stream, ByteBuffer[] gather) throws IOException {
        long total = 0;
        while (true) {
            int n = 0;
            long offered = 0;
            if (buffers != null) {
                for (ByteBuffer b : buffers) {
                    gather[n++] = b;
                    offered += b.remaining();
                    if (n == gather.length) {
                        break;
                    }
                }
            }
            long w;
            try {
                w = stream.writeToChannel(gather, 0, n);
            } finally {
                java.util.Arrays.fill(gather, 0, n, null); // the array is shared per loop: drop references
            }
            if (w <= 0) {
                return total;
            }
            total += w;
            flushed += w;
            if (buffers == null) {
                return total;
            }
            while (!buffers.isEmpty() && !buffers.peekFirst().hasRemaining()) {
                buffers.pollFirst();
            }
            if (buffers.isEmpty() || w < offered) {
                return total; // the kernel took less than offered: its buffer is full
            }
        }
    }

    /** Completes the futures whose writes are flushed down to {@code highWaterMark}. */
    void completeFutures(long highWaterMark, IOStream stream) {
        Pending p;
        // Re-read the field each time: a continuation may write (adding) or close (clearing).
        while (futures != null && (p = futures.peekFirst()) != null && p.end - flushed <= highWaterMark) {
            futures.pollFirst();
            releaseIfIdle();
            stream.completeInline(p.future, null);
        }
    }

    /** Fails every pending future and drops the buffers. */
    void failAll(Throwable error) {
        if (futures == null) {
            return;
        }
        ArrayDeque<Pending> fs = futures;
        buffers = null;
        futures = null;
        flushed = queued;
        for (Pending p : fs) {
            p.future.completeExceptionally(error);
        }
    }

    private void releaseIfIdle() {
        if (futures != null && futures.isEmpty() && buffers.isEmpty()) {
            buffers = null;
            futures = null;
        }
    }
}
