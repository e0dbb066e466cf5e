package io.gale.http;

import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** {@link ByteTunnel} over a whole connection: every call is the stream's own. */
final class IOStreamTunnel implements ByteTunnel {
    /** Largest piece one read returns. */
    private static final int READ_SIZE = 64 * 1024;

    private final IOStream stream;

    IOStreamTunnel(IOStream stream) {
        this.stream = stream;
    }

    @Override
    public IOLoop loop() {
        return stream.loop();
    }

    @Override
    public CompletableFuture<byte[]> read() {
        return stream.readBytes(READ_SIZE, true);
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        return stream.write(data);
    }

    @Override
    public long queuedBytes() {
        return stream.writeBufferSize();
    }

    @Override
    public void close() {
        stream.close();
    }

    @Override
    public boolean isClosed() {
        return stream.isClosed();
    }

    @Override
    public void setCloseCallback(Runnable callback) {
        stream.setCloseCallback(callback);
    }

    @Override
    public String toString() {
        return stream.toString();
    }
}
