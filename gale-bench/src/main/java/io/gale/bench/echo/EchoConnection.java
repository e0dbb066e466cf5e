package io.gale.bench.echo;

import io.gale.iostream.IOStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Echoes one connection: read what is available, write it back, and read again only once the
 * write's future completes, so a peer that does not read its echo stops this connection from
 * reading (the stream's write high-water mark decides how much may stay queued).
 *
 * <p>Two ways to use the {@link IOStream} API, chosen per server:
 * <ul>
 *   <li>{@link Mode#BYTES}: {@code readBytes(chunk, partial=true)} hands over a fresh array of what
 *       arrived, written back as is. Nothing is held between reads, so an idle connection costs
 *       only the stream and its pending read.
 *   <li>{@link Mode#INTO}: {@code readInto(buffer, partial=true)} reads the socket straight into one
 *       direct buffer per connection, written back without a copy; costs that buffer per
 *       connection, idle or not.
 * </ul>
 *
 * <p>Threading: created and run on the stream's loop thread; the callbacks are cached in fields
 * so the steady state allocates only what the stream API itself does.
 */
final class EchoConnection {
    /** How data is read; see the class comment. */
    enum Mode { BYTES, INTO }

    private final IOStream stream;
    private final int chunk;
    private final ByteBuffer buffer;
    private final BiConsumer<byte[], Throwable> onBytes = this::onBytes;
    private final BiConsumer<Integer, Throwable> onInto = this::onInto;
    private final BiConsumer<Void, Throwable> onWritten = this::onWritten;

    private EchoConnection(IOStream stream, Mode mode, int chunk) {
        this.stream = stream;
        this.chunk = chunk;
        this.buffer = mode == Mode.INTO ? ByteBuffer.allocateDirect(chunk) : null;
    }

    /** Starts echoing {@code stream}; loop thread. */
    static void start(IOStream stream, Mode mode, int chunk) {
        new EchoConnection(stream, mode, chunk).readNext();
    }

    private void readNext() {
        if (buffer == null) {
            stream.readBytes(chunk, true).whenComplete(onBytes);
        } else {
            buffer.clear();
            stream.readInto(buffer, true).whenComplete(onInto);
        }
    }

    private void onBytes(byte[] data, Throwable error) {
        if (error != null) {
            stream.close(); // EOF or reset: the peer is gone
            return;
        }
        afterWrite(stream.write(ByteBuffer.wrap(data)));
    }

    private void onInto(Integer n, Throwable error) {
        if (error != null) {
            stream.close();
            return;
        }
        buffer.flip();
        afterWrite(stream.write(buffer));
    }

    private void afterWrite(CompletableFuture<Void> written) {
        if (written.isDone() && !written.isCompletedExceptionally()) {
            readNext(); // the usual case: the kernel took it all; skip a dependent future
        } else {
            written.whenComplete(onWritten);
        }
    }

    private void onWritten(Void ignored, Throwable error) {
        if (error != null) {
            stream.close();
            return;
        }
        readNext();
    }
}
