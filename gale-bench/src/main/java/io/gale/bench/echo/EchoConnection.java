package io.gale.bench.echo;

import io.gale.iostream.IOStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Echoes one connection through the public {@link IOStream} API, with backpressure: once a write's
 * future is pending (more than the stream's write high-water mark still queued), no more is read
 * until it completes, so a peer that does not read its echo stops this connection from reading.
 *
 * <p>Two ways to read, chosen per server ({@link PooledEchoConnection} is a third):
 * <ul>
 *   <li>bytes (default): {@code readBytes(chunk, partial=true)} hands over a fresh array
 *       of what arrived. Reads that complete at once (the data was already there) are collected,
 *       up to {@link #MAX_BATCH} chunks, and written back with one gathering {@code write}: one
 *       system call per batch instead of one per read, as Netty's flush-on-read-complete does.
 *       Nothing is held between reads, so an idle connection costs only the stream and its
 *       pending read.
 *   <li>into: {@code readInto(buffer, partial=true)} reads the socket straight into one
 *       direct buffer per connection, written back without a copy, one read then one write; costs
 *       that buffer per connection, idle or not.
 * </ul>
 *
 * <p>Threading: created and run on the stream's loop thread; the callbacks are cached in fields
 * so the steady state allocates only what the stream API itself does (plus a small array per
 * batch).
 */
final class EchoConnection {
    /** Chunks read at once and written back with one gathering write. */
    static final int MAX_BATCH = 16;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final IOStream stream;
    private final int chunk;
    private final ByteBuffer buffer;
    private final BiConsumer<byte[], Throwable> onBytes = this::onBytes;
    private final BiConsumer<Integer, Throwable> onInto = this::onInto;
    private final BiConsumer<Void, Throwable> onWritten = this::onWritten;
    /** The last write: while it is pending, nothing more is read. */
    private CompletableFuture<Void> lastWrite = DONE;

    private EchoConnection(IOStream stream, boolean into, int chunk) {
        this.stream = stream;
        this.chunk = chunk;
        this.buffer = into ? ByteBuffer.allocateDirect(chunk) : null;
    }

    /** Starts echoing {@code stream} ({@code into}: the into variant); loop thread. */
    static void start(IOStream stream, boolean into, int chunk) {
        EchoConnection c = new EchoConnection(stream, into, chunk);
        if (into) {
            c.readInto();
        } else {
            c.pump(null);
        }
    }

    // ---------------------------------------------------------------------------------- BYTES

    /**
     * Reads what is available now (after {@code first}, data that arrived for a pending read),
     * writes it back in one call, and repeats until a read has to wait for the socket or the
     * write has to wait for the kernel.
     */
    private void pump(byte[] first) {
        while (true) {
            if (!lastWrite.isDone()) {
                if (first != null) {
                    lastWrite = stream.write(ByteBuffer.wrap(first)); // at most one chunk beyond the mark
                }
                lastWrite.whenComplete(onWritten);
                return;
            }
            if (lastWrite.isCompletedExceptionally()) {
                stream.close();
                return;
            }
            ByteBuffer[] batch = new ByteBuffer[MAX_BATCH];
            int n = 0;
            if (first != null) {
                batch[n++] = ByteBuffer.wrap(first);
                first = null;
            }
            CompletableFuture<byte[]> waiting = null;
            boolean eof = false;
            while (n < MAX_BATCH) {
                CompletableFuture<byte[]> f = stream.readBytes(chunk, true);
                if (!f.isDone()) {
                    waiting = f;
                    break;
                }
                if (f.isCompletedExceptionally()) {
                    eof = true;
                    break;
                }
                batch[n++] = ByteBuffer.wrap(f.join());
            }
            if (n > 0) {
                lastWrite = stream.write(n == MAX_BATCH ? batch : Arrays.copyOf(batch, n));
            }
            if (eof) {
                stream.close(); // EOF or reset: the peer is gone
                return;
            }
            if (waiting != null) {
                waiting.whenComplete(onBytes);
                return;
            }
        }
    }

    private void onBytes(byte[] data, Throwable error) {
        if (error != null) {
            stream.close();
            return;
        }
        pump(data);
    }

    private void onWritten(Void ignored, Throwable error) {
        if (error != null) {
            stream.close();
            return;
        }
        if (buffer == null) {
            pump(null);
        } else {
            readInto();
        }
    }

    // ----------------------------------------------------------------------------------- INTO

    private void readInto() {
        buffer.clear();
        stream.readInto(buffer, true).whenComplete(onInto);
    }

    private void onInto(Integer n, Throwable error) {
        if (error != null) {
            stream.close();
            return;
        }
        buffer.flip();
        lastWrite = stream.write(buffer);
        if (lastWrite.isDone() && !lastWrite.isCompletedExceptionally()) {
            readInto(); // the usual case: the kernel took it all; skip a dependent future
        } else {
            lastWrite.whenComplete(onWritten);
        }
    }
}
