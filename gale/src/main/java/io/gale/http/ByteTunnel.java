package io.gale.http;

import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A two-way byte stream that another protocol runs over once HTTP handed it over: a whole
 * connection after an HTTP/1.1 {@code 101 Switching Protocols} ({@link #of(IOStream)}), or one
 * HTTP/2 stream after a 2xx answer to an extended CONNECT (RFC 8441, {@link TunnelExchange}). A
 * WebSocket runs over either without knowing which.
 *
 * <p>Contract: reads deliver bytes in order, in pieces of any size, and fail (with
 * {@link io.gale.iostream.StreamClosedException}) once the tunnel closed or the peer ended its
 * side and everything before was read; one read at a time. Writes go out in order; their futures
 * complete when the bytes were handed to the kernel (after flow control, over HTTP/2). Flow
 * control follows the reads: a tunnel holds at most one window (HTTP/2) or one socket buffer of
 * unread bytes. The close callback runs once, on the loop, when the tunnel closes for any reason
 * (either side, an error, the connection's end).
 *
 * <p>Threading: the loop's ({@link #loop()}), like the stream under it.
 */
public interface ByteTunnel {
    /**
     * The loop the tunnel lives on.
     *
     * @return the loop
     */
    IOLoop loop();

    /**
     * The next bytes, at least one.
     *
     * @return completes with the bytes read; fails once the tunnel is closed or ended
     */
    CompletableFuture<byte[]> read();

    /**
     * Sends {@code data} (not copied: leave it alone until the future completes).
     *
     * @param data the bytes
     * @return completes when the bytes were handed to the kernel; fails if the tunnel closed first
     */
    CompletableFuture<Void> write(ByteBuffer data);

    /**
     * Bytes written and not yet handed to the kernel: what this tunnel holds in memory for a peer
     * that does not read (a WebSocket broadcast's slow-member bound reads it). Loop thread.
     *
     * @return the count
     */
    long queuedBytes();

    /**
     * Closes: TCP close over HTTP/1.1; over HTTP/2, END_STREAM after what was written, then (if
     * the peer still sends) RST_STREAM NO_ERROR (RFC 9113 section 8.1). Idempotent.
     */
    void close();

    /**
     * Whether the tunnel is closed.
     *
     * @return whether the tunnel is closed
     */
    boolean isClosed();

    /**
     * Sets the callback run once when the tunnel closes (replacing any earlier one).
     *
     * @param callback the callback, or null
     */
    void setCloseCallback(Runnable callback);

    /**
     * A tunnel over a whole connection (after a {@code 101}): bytes are the stream's.
     *
     * @param stream the stream, now owned by the tunnel
     * @return the tunnel
     */
    static ByteTunnel of(IOStream stream) {
        return new IOStreamTunnel(stream);
    }
}
