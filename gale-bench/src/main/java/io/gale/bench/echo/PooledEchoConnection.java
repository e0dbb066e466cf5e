package io.gale.bench.echo;

import io.gale.iostream.IOStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The zero-copy echo ({@code --mode pooled}): reads that are likely to find data at once go
 * {@code readInto} a direct buffer from the loop's {@link BufferPool}, so the bytes go from the
 * kernel to that buffer and back without a copy; up to {@link EchoConnection#MAX_BATCH} of them are
 * written back with one gathering {@code write}. A read that probably has to wait (the first one,
 * and any after a read that did not fill its buffer, meaning the socket was drained) is a
 * {@code readBytes(partial)} instead, which holds no buffer while it waits, so idle connections
 * cost no pooled memory.
 *
 * <p>Needs a write high-water mark of 0: a write's future then completes only once all of its
 * bytes are in the kernel, which is when its buffers go back to the pool. At most one write is in
 * flight, and nothing is read while it is pending except the one read already waiting.
 *
 * <p>Threading: created and run on the stream's loop thread.
 */
final class PooledEchoConnection {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final IOStream stream;
    private final int chunk;
    private final BufferPool pool;
    private final BiConsumer<byte[], Throwable> onBytes = this::onBytes;
    private final BiConsumer<Integer, Throwable> onInto = this::onInto;
    private final BiConsumer<Void, Throwable> onWritten = this::onWritten;

    private CompletableFuture<Void> lastWrite = DONE;
    /** The buffers of lastWrite, released to the pool when it completes. */
    private ByteBuffer[] inWrite;
    private boolean readWaiting;
    /** The pooled buffer of a waiting readInto. */
    private ByteBuffer readingInto;
    /** Data that arrived while lastWrite was pending, and whether more probably follows. */
    private ByteBuffer stashed;
    private boolean likelyMore;

    private PooledEchoConnection(IOStream stream, int chunk) {
        this.stream = stream;
        this.chunk = chunk;
        this.pool = BufferPool.current(chunk);
    }

    /** Starts echoing {@code stream}; loop thread. */
    static void start(IOStream stream, int chunk) {
        new PooledEchoConnection(stream, chunk).pump(null);
    }

    /** Reads what is there, writes it back in one call; repeats until a read or the write must wait. Only with no write pending. */
    private void pump(ByteBuffer first) {
        while (true) {
            ByteBuffer[] batch = new ByteBuffer[EchoConnection.MAX_BATCH];
            int n = 0;
            if (first != null) {
                batch[n++] = first;
                first = null;
            }
            boolean eof = false;
            while (n < batch.length && !readWaiting) {
                if (likelyMore) {
                    ByteBuffer b = pool.acquire();
                    CompletableFuture<Integer> f = stream.readInto(b, true);
                    if (!f.isDone()) {
                        readingInto = b;
                        readWaiting = true;
                        f.whenComplete(onInto);
                    } else if (f.isCompletedExceptionally()) {
                        eof = true;
                        break;
                    } else {
                        b.flip();
                        likelyMore = b.remaining() == chunk;
                        batch[n++] = b;
                    }
                } else {
                    CompletableFuture<byte[]> f = stream.readBytes(chunk, true);
                    if (!f.isDone()) {
                        readWaiting = true;
                        f.whenComplete(onBytes);
                    } else if (f.isCompletedExceptionally()) {
                        eof = true;
                        break;
                    } else {
                        byte[] d = f.join();
                        likelyMore = d.length == chunk;
                        batch[n++] = ByteBuffer.wrap(d);
                    }
                }
            }
            if (n > 0) {
                inWrite = batch;
                lastWrite = stream.write(n == batch.length ? batch : Arrays.copyOf(batch, n));
            }
            if (eof) {
                stream.close(); // EOF or reset: the peer is gone; its buffers are left to the GC
                return;
            }
            if (!lastWrite.isDone()) {
                lastWrite.whenComplete(onWritten);
                return;
            }
            if (lastWrite.isCompletedExceptionally()) {
                stream.close();
                return;
            }
            releaseWritten();
            if (readWaiting) {
                return; // its callback goes on
            }
        }
    }

    private void releaseWritten() {
        ByteBuffer[] b = inWrite;
        if (b != null) {
            inWrite = null;
            for (ByteBuffer x : b) {
                if (x == null) {
                    break;
                }
                pool.release(x);
            }
        }
    }

    private void onInto(Integer n, Throwable error) {
        ByteBuffer b = readingInto;
        readingInto = null;
        if (error != null) {
            readWaiting = false;
            stream.close();
            return;
        }
        b.flip();
        arrived(b, b.remaining() == chunk);
    }

    private void onBytes(byte[] data, Throwable error) {
        if (error != null) {
            readWaiting = false;
            stream.close();
            return;
        }
        arrived(ByteBuffer.wrap(data), data.length == chunk);
    }

    private void arrived(ByteBuffer data, boolean more) {
        readWaiting = false;
        likelyMore = more;
        if (!lastWrite.isDone()) {
            stashed = data; // onWritten is registered and goes on with it
            return;
        }
        pump(data);
    }

    private void onWritten(Void ignored, Throwable error) {
        if (error != null) {
            stream.close();
            return;
        }
        releaseWritten();
        if (readWaiting) {
            return; // the waiting read's callback goes on
        }
        ByteBuffer s = stashed;
        stashed = null;
        pump(s);
    }
}
