package io.gale.web;

import io.gale.http.HttpExchange;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.CompletableFuture;

/**
 * Streams a response body from a channel that cannot (or, gzipped, must not) go to
 * {@link HttpExchange#writeFile}: reads a piece of at most {@link #PIECE} bytes, gzips it when
 * an encoder is given, writes it, and reads the next piece only when the exchange took the
 * last one, so one response holds at most one piece and its compressed form. Ends the response
 * after the last piece.
 *
 * <p>Threading: on the exchange's loop (the continuations of its write futures run there); the
 * channel is read there too. Failure: a read error or a channel shorter than announced aborts the
 * exchange (a response whose length was promised cannot be completed) and fails the future.
 */
final class ContentPump {
    static final int PIECE = 64 * 1024;

    private final HttpExchange exchange;
    private final ReadableByteChannel content;
    private final GzipEncoder gzip;
    private long left;

    private ContentPump(HttpExchange exchange, ReadableByteChannel content, long count, GzipEncoder gzip) {
        this.exchange = exchange;
        this.content = content;
        this.left = count;
        this.gzip = gzip;
    }

    /** Sends {@code count} bytes of {@code content}, gzipped when {@code gzip} is not null, then finishes. */
    static CompletableFuture<Void> send(HttpExchange exchange, ReadableByteChannel content, long count,
            GzipEncoder gzip) {
        return new ContentPump(exchange, content, count, gzip).next();
    }

    private CompletableFuture<Void> next() {
        ByteBuffer piece = ByteBuffer.allocate((int) Math.min(left, PIECE));
        try {
            while (piece.hasRemaining()) {
                if (content.read(piece) < 0) {
                    throw new EOFException("content ended " + (left - piece.position()) + " bytes early");
                }
            }
        } catch (IOException e) {
            exchange.close();
            return CompletableFuture.failedFuture(e);
        }
        left -= piece.flip().remaining();
        boolean last = left == 0;
        ByteBuffer out = gzip != null ? gzip.encode(piece, last) : piece;
        CompletableFuture<Void> written = out.hasRemaining() ? exchange.write(out) : CompletableFuture.completedFuture(null);
        if (last) {
            return written.thenCompose(v -> exchange.finish());
        }
        return written.thenCompose(v -> next());
    }
}
