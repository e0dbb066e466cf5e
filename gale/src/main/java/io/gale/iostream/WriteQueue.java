package io.gale.iostream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Buffers and file regions queued for writing, in order, and the futures of the writes they
 * belong to. The caller's buffers are queued as they are (no copy); the stream owns them until
 * the write's future completes. A file region ({@link IOStream#writeFile}) is written by
 * {@link IOStream#transferToChannel} a slice at a time; it holds no memory, so it counts in
 * {@link #size()} (positions, futures) but not in {@link #memorySize()}.
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

    /** A queued file region: what is left of it. */
    private static final class FileRegion {
        final FileChannel file;
        long position;
        long remaining;

        FileRegion(FileChannel file, long position, long remaining) {
            this.file = file;
            this.position = position;
            this.remaining = remaining;
        }
    }

    /**
     * Most bytes of file regions one {@link #writeTo} call hands to the socket (a reader as fast
     * as the loop would otherwise keep it on one connection; the rest goes when the loop reports
     * the socket writable again, after the other connections' events).
     */
    static final long FILE_BYTES_PER_FLUSH = 16L * 1024 * 1024;
    /**
     * Largest slice of a file region per {@link IOStream#transferToChannel} call: 8 MiB, more than
     * a loopback socket's send buffer grows to, so a call normally ends because the socket is full,
     * not at the slice (each call costs the JDK's {@code fstat} and {@code copy_file_range} attempt
     * besides the {@code sendfile}; strace: a 10 MiB response took 7.8 calls at 2 MiB, 4.2 at 8 MiB).
     */
    static final long FILE_SLICE = 8L * 1024 * 1024;

    /** ByteBuffers and FileRegions, in write order. */
    private ArrayDeque<Object> buffers;
    private ArrayDeque<Pending> futures;
    /** Total bytes ever queued. */
    private long queued;
    /** Total bytes ever handed to the channel. */
    private long flushed;
    /** Bytes of queued file regions not yet written. */
    private long fileBytes;

    long size() {
        return queued - flushed;
    }

    /** Queued bytes held in memory (buffers): {@link #size()} less the file regions. */
    long memorySize() {
        return queued - flushed - fileBytes;
    }

    boolean hasData() {
        return queued != flushed;
    }

    /** Queues {@code bufs} (their remaining bytes, total {@code total}) with one future. */
    void add(ByteBuffer[] bufs, long total, CompletableFuture<Void> future) {
        addBuffers(bufs, total);
        futures.add(new Pending(queued, future));
    }

    /** Queues {@code bufs} without a future of their own: the next added entry's future covers them. */
    void addBuffers(ByteBuffer[] bufs, long total) {
        ensureDeques();
        for (ByteBuffer b : bufs) {
            if (b.hasRemaining()) {
                buffers.add(b);
            }
        }
        queued += total;
    }

    /** Queues {@code count} bytes of {@code file} from {@code position} with one future. */
    void addFile(FileChannel file, long position, long count, CompletableFuture<Void> future) {
        ensureDeques();
        if (count > 0) {
            buffers.add(new FileRegion(file, position, count));
        }
        queued += count;
        fileBytes += count;
        futures.add(new Pending(queued, future));
    }

    private void ensureDeques() {
        if (buffers == null) {
            buffers = new ArrayDeque<>(4);
            futures = new ArrayDeque<>(4);
        }
    }

    /**
     * Hands as much as the channel takes to {@code stream.writeToChannel}, gathering up to
     * {@code gather.length} buffers per call.
     *
     * @return bytes written by this call
     */
    long writeTo(IOStream stream, ByteBuffer[] gather) throws IOException {
        long total = 0;
        long fileBudget = FILE_BYTES_PER_FLUSH;
        while (true) {
            if (buffers != null && buffers.peekFirst() instanceof FileRegion region) {
                long slice = Math.min(region.remaining, FILE_SLICE);
                long w = stream.transferToChannel(region.file, region.position, slice);
                if (w <= 0) {
                    return total;
                }
                stream.bytesWritten += w;
                region.position += w;
                region.remaining -= w;
                fileBytes -= w;
                flushed += w;
                total += w;
                fileBudget -= w;
                if (region.remaining == 0) {
                    buffers.pollFirst();
                } else if (w < slice) {
                    return total; // the socket is full
                }
                if (buffers.isEmpty() || fileBudget <= 0) {
                    return total; // done, or fair share taken: the loop reports the socket writable again
                }
                continue;
            }
            int n = 0;
            long offered = 0;
            if (buffers != null) {
                for (Object o : buffers) {
                    if (!(o instanceof ByteBuffer b)) {
                        break; // a file region: after these buffers
                    }
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
            stream.bytesWritten += w;
            total += w;
            flushed += w;
            if (buffers == null) {
                return total;
            }
            while (!buffers.isEmpty() && buffers.peekFirst() instanceof ByteBuffer b && !b.hasRemaining()) {
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
        fileBytes = 0;
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
