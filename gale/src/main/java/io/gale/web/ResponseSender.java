package io.gale.web;

import io.gale.http.HttpConnection;
import io.gale.http.HttpHeaders;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Hands a handler's output to its connection: the head with the first piece, then further
 * pieces, then the end, through the gzip transform when it applies.
 *
 * <p>Threading: called on the handler's thread (the loop, or the request's virtual thread), one
 * call at a time. Everything that touches the connection runs on the connection's loop: at once
 * when already there, else handed over ({@link io.gale.ioloop.IOLoop#supplyOrSubmit}), which
 * keeps the pieces of one thread in order. The head and pieces handed over are not touched again by the caller.
 *
 * <p>A body from a channel ({@link #sendContent}, static files) is never held whole: a
 * {@link FileChannel} goes to {@link HttpConnection#writeFile} (sendfile on plain TCP), anything
 * else, and anything gzipped, through {@link ContentPump}, one bounded piece at a time.
 */
final class ResponseSender {
    private final HttpConnection connection;
    private final HttpHeaders requestHeaders;
    private final boolean compress;
    private boolean headersSent;
    private GzipEncoder gzip;

    ResponseSender(HttpConnection connection, HttpHeaders requestHeaders, boolean compress) {
        this.connection = connection;
        this.requestHeaders = requestHeaders;
        this.compress = compress;
    }

    boolean headersSent() {
        return headersSent;
    }

    /**
     * Sends the head (on the first call) and {@code chunk}; ends the response with {@code last}.
     * On the first call {@code headers} may still be adjusted here (Content-Encoding, Vary,
     * Content-Length of the compressed body), then belong to the connection.
     *
     * @return completes on the loop when the connection has taken the bytes
     */
    CompletableFuture<Void> send(int status, String reason, HttpHeaders headers, ByteBuffer chunk, boolean last) {
        if (!headersSent) {
            headersSent = true;
            if (compress) {
                gzip = GzipEncoder.forResponse(status, requestHeaders, headers, chunk.remaining(), last);
            }
            ByteBuffer body = chunk;
            if (gzip != null) {
                body = gzip.encode(chunk, last);
                if (last) {
                    headers.set("Content-Length", Integer.toString(body.remaining()));
                }
            }
            ByteBuffer first = body.hasRemaining() ? body : null;
            return onLoop(() -> {
                CompletableFuture<Void> written = connection.writeHeaders(status, reason, headers, first);
                return last ? connection.finish() : written;
            });
        }
        ByteBuffer piece = gzip != null ? gzip.encode(chunk, last) : chunk;
        return onLoop(() -> {
            CompletableFuture<Void> written = piece.hasRemaining() ? connection.write(piece) : null;
            if (last) {
                return connection.finish();
            }
            return written != null ? written : CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Sends the head and {@code count} bytes of {@code content} (a {@link FileChannel} from offset
     * {@code start}, another channel from its position), and ends
     * the response: the first and only call. {@code headers} carry the identity Content-Length;
     * gzip (with {@code compressResponse}, never for a 206) replaces it with chunking.
     *
     * @return completes on the loop when the body is handed over; fails if the client left or
     *     the content could not be read (the connection is then closed)
     */
    CompletableFuture<Void> sendContent(int status, String reason, HttpHeaders headers, ReadableByteChannel content,
            long start, long count) {
        headersSent = true;
        if (compress && status != 206) {
            gzip = GzipEncoder.forResponse(status, requestHeaders, headers, (int) Math.min(count, Integer.MAX_VALUE),
                    true);
        }
        GzipEncoder encoder = gzip;
        if (encoder == null && content instanceof FileChannel file) {
            return onLoop(() -> {
                CompletableFuture<Void> head = connection.writeHeaders(status, reason, headers, null);
                if (!connection.headersWritten()) {
                    return head; // the client left before the head could go: its failure
                }
                connection.writeFile(file, start, count);
                return connection.finish();
            });
        }
        if (content instanceof FileChannel file) {
            try {
                file.position(start);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return onLoop(() -> {
            CompletableFuture<Void> head = connection.writeHeaders(status, reason, headers, null);
            if (!connection.headersWritten()) {
                return head;
            }
            return ContentPump.send(connection, content, count, encoder);
        });
    }

    /** Runs connection work on the loop: now when on it, else handed over. */
    private CompletableFuture<Void> onLoop(Supplier<CompletableFuture<Void>> work) {
        return connection.loop().supplyOrSubmit(work);
    }
}
