package io.gale.httpclient;

import io.gale.internal.http.Http1Parser;
import io.gale.http.HttpVersion;
import io.gale.ioloop.Timeout;
import io.gale.iostream.IOStream;
import io.gale.iostream.StreamClosedException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One client connection: a stream, the response parser (the same {@link Http1Parser} the server
 * uses) and a read pump that is always reading, so that a server closing an idle pooled
 * connection is noticed at once instead of when the next request is written.
 *
 * <p>Parser events go to the attached {@link Listener} (the current {@link Exchange}); bytes
 * arriving while nothing is attached are a protocol violation and close the connection. On close
 * the pool's close hook runs once.
 *
 * <p>Threading: confined to the stream's loop. Lifecycle: connecting (owned by the connector),
 * busy (one exchange attached), idle (in the pool), closed.
 */
final class Connection implements ClientConnection {
    /** Receives the events of one response. */
    interface Listener {
        void onInformational(int status);

        void onHead(Http1Parser parser);

        void onBody(ByteBuffer data);

        /** The response is complete; {@code keepAlive}: the connection may carry another exchange. */
        void onComplete(boolean keepAlive);

        void onError(Throwable error);
    }

    final Address address;
    final IOStream stream;
    final Http1Parser parser;
    private final ByteBuffer buf;
    private Listener listener;
    private boolean informational;
    private boolean closed;
    private long receivedSinceAttach;
    private Runnable closeHook;
    Timeout idleTimer;
    /** Exchanges carried so far (the first one is on a fresh connection). */
    int exchanges;

    Connection(Address address, IOStream stream, Http1Parser parser, int readBufferSize) {
        this.address = address;
        this.stream = stream;
        this.parser = parser;
        this.buf = ByteBuffer.allocate(readBufferSize);
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public HttpVersion version() {
        return HttpVersion.HTTP_1_1;
    }

    @Override
    public void setCloseHook(Runnable hook) {
        this.closeHook = hook;
        if (closed) {
            hook.run();
        }
    }

    /** Starts the read pump; call once, after the close hook is set. */
    @Override
    public void start() {
        read();
    }

    /** Starts an exchange: its response events go to {@code l}. */
    void attach(Listener l, String method) {
        listener = l;
        informational = false;
        receivedSinceAttach = 0;
        exchanges++;
        parser.expectResponseTo(method);
    }

    /** Whether any byte arrived since the current exchange started (decides whether a retry is safe). */
    boolean receivedAny() {
        return receivedSinceAttach > 0;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void read() {
        if (closed) {
            return;
        }
        stream.readInto(buf, true).whenComplete(this::onRead);
    }

    private void onRead(Integer n, Throwable err) {
        if (closed) {
            return;
        }
        if (err != null) {
            onClosedByPeer(err);
            return;
        }
        receivedSinceAttach += n;
        buf.flip();
        dispatch();
        if (closed) {
            return;
        }
        buf.compact();
        read();
    }

    private void dispatch() {
        while (!closed) {
            if (listener == null) {
                if (buf.hasRemaining()) {
                    close(new IOException("server sent " + buf.remaining() + " bytes outside of a response"));
                }
                return;
            }
            switch (parser.next(buf)) {
                case NEED_MORE -> {
                    return;
                }
                case HEAD -> {
                    int status = parser.status();
                    if (status == 101) {
                        fail(new IOException("server switched protocols (101) without being asked to"));
                    } else if (status < 200) {
                        informational = true;
                        listener.onInformational(status);
                    } else {
                        listener.onHead(parser);
                    }
                }
                case BODY -> listener.onBody(parser.body());
                case MESSAGE_COMPLETE -> {
                    if (informational) {
                        informational = false;
                    } else {
                        Listener l = listener;
                        listener = null;
                        // bytes beyond the response would be read as the next response: never reuse then
                        l.onComplete(parser.isKeepAlive() && !buf.hasRemaining());
                    }
                }
                case UPGRADE -> fail(new IOException("server switched protocols unexpectedly"));
                case ERROR -> fail(new IOException("malformed response: " + parser.error().reason()));
                case END -> fail(new EOFException("connection closed"));
            }
        }
    }

    private void onClosedByPeer(Throwable err) {
        Throwable cause = err instanceof StreamClosedException && err.getCause() != null ? err.getCause() : err;
        if (!(cause instanceof EOFException)) {
            fail(cause);
            return;
        }
        if (listener == null) {
            close(null); // an idle connection closed by the server: just drop it from the pool
            return;
        }
        switch (parser.finish()) {
            case MESSAGE_COMPLETE -> {
                Listener l = listener;
                listener = null;
                l.onComplete(false);
                close(null);
            }
            case END -> fail(new EOFException(receivedSinceAttach == 0
                    ? "server closed the connection without sending a response"
                    : "server closed the connection before the response head was complete"));
            default -> fail(new EOFException("server closed the connection before the response was complete"));
        }
    }

    /** Closes the connection and reports {@code error} to the attached listener, if any. */
    void fail(Throwable error) {
        Listener l = listener;
        listener = null;
        close(error);
        if (l != null) {
            l.onError(error);
        }
    }

    /** Closes the connection (idempotent); the attached listener is detached without notice. */
    @Override
    public void close(Throwable reason) {
        if (closed) {
            return;
        }
        closed = true;
        listener = null;
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        stream.close(); // the reason goes to our listener; the stream would log it as unexpected
        if (closeHook != null) {
            closeHook.run();
        }
    }

    @Override
    public String toString() {
        return "Connection[" + address + ", " + stream + "]";
    }
}
