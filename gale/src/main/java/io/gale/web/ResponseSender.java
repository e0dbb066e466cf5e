package io.gale.web;

import io.gale.http.HttpExchange;
import io.gale.http.HttpHeaderNames;
import io.gale.http.HttpHeaders;
import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Hands a handler's output to its exchange: the head with the first piece, then further pieces,
 * then the end, through the gzip transform when it applies. The body's length goes to the exchange
 * as a number when it is known (the whole body handed over at once, or a channel's count), so
 * the exchange frames it with {@code Content-Length}; a {@code Content-Length} field the handler
 * set itself is left for the exchange to read.
 *
 * <p>Threading: called on the handler's thread (the loop, or the request's virtual thread), one
 * call at a time. Everything that touches the exchange runs on its loop: at once when already
 * there, else handed over ({@link IOLoop#supplyOrSubmit}), which keeps the pieces of one thread in
 * order; a response's end from a virtual thread goes through {@link IOLoop#addCallbackBatched},
 * which yields the virtual thread once before it wakes a sleeping loop. The head and pieces
 * handed over are not touched again by the caller.
 *
 * <p>A body from a channel ({@link #sendContent}, static files) is never held whole: a
 * {@link FileChannel} goes to {@link HttpExchange#writeFile} (sendfile on plain TCP), anything
 * else, and anything gzipped, through {@link ContentPump}, one bounded piece at a time.
 */
final class ResponseSender {
    private final HttpExchange exchange;
    private final HttpHeaders requestHeaders;
    private final boolean compress;
    private boolean headersSent;
    private GzipEncoder gzip;

    ResponseSender(HttpExchange exchange, HttpHeaders requestHeaders, boolean compress) {
        this.exchange = exchange;
        this.requestHeaders = requestHeaders;
        this.compress = compress;
    }

    boolean headersSent() {
        return headersSent;
    }

    /**
     * Sends the head (on the first call) and {@code chunk}; ends the response with {@code last}.
     * On the first call {@code headers} may still be adjusted here (Content-Encoding, Vary), then
     * belong to the exchange. The exchange gets the body's length as a number: {@code contentLength}
     * when the handler gave one ({@link HttpExchange#UNKNOWN_LENGTH} if not; ignored when gzipped),
     * else, on a first call that is also the last, the body's own (compressed, if gzipped).
     *
     * @return completes on the loop when the exchange has taken the bytes
     */
    CompletableFuture<Void> send(int status, String reason, HttpHeaders headers, ByteBuffer chunk, boolean last,
            long contentLength) {
        if (!headersSent) {
            headersSent = true;
            if (compress) {
                gzip = GzipEncoder.forResponse(status, requestHeaders, headers, chunk.remaining(), last);
            }
            ByteBuffer body = gzip != null ? gzip.encode(chunk, last) : chunk;
            long length;
            if (contentLength >= 0 && gzip == null) {
                length = contentLength; // the handler's typed length (HEAD describing a body it does not carry)
            } else if (last && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                length = body.remaining();
            } else {
                length = HttpExchange.UNKNOWN_LENGTH;
            }
            ByteBuffer first = body.hasRemaining() ? body : null;
            return onLoop(last, () -> {
                CompletableFuture<Void> written = exchange.writeHeaders(status, reason, headers, length, first);
                return last ? exchange.finish() : written;
            });
        }
        ByteBuffer piece = gzip != null ? gzip.encode(chunk, last) : chunk;
        return onLoop(last, () -> {
            CompletableFuture<Void> written = piece.hasRemaining() ? exchange.write(piece) : null;
            if (last) {
                return exchange.finish();
            }
            return written != null ? written : CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Sends the head and {@code count} bytes of {@code content} (a {@link FileChannel} from offset
     * {@code start}, another channel from its position), and ends the response: the first and only
     * call. The identity length goes to the exchange as {@code count} (replacing a
     * {@code Content-Length} field the handler set); gzip (with {@code compressResponse}, never for
     * a 206) streams instead.
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
        long length = HttpExchange.UNKNOWN_LENGTH;
        if (encoder == null) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            length = count;
        }
        long contentLength = length;
        if (encoder == null && content instanceof FileChannel file) {
            return onLoop(() -> {
                CompletableFuture<Void> head = exchange.writeHeaders(status, reason, headers, contentLength, null);
                if (!exchange.headersWritten()) {
                    return head; // the client left before the head could go: its failure
                }
                exchange.writeFile(file, start, count);
                return exchange.finish();
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
            CompletableFuture<Void> head = exchange.writeHeaders(status, reason, headers, contentLength, null);
            if (!exchange.headersWritten()) {
                return head;
            }
            return ContentPump.send(exchange, content, count, encoder);
        });
    }

    /** Runs exchange work on the loop: now when on it, else handed over. */
    private CompletableFuture<Void> onLoop(Supplier<CompletableFuture<Void>> work) {
        return exchange.loop().supplyOrSubmit(work);
    }

    /**
     * {@link #onLoop}, and for the end of a response handed over from a virtual thread, through
     * {@link IOLoop#addCallbackBatched}: the responses that virtual threads finish together wake
     * a sleeping loop once, not once each.
     */
    private CompletableFuture<Void> onLoop(boolean last, Supplier<CompletableFuture<Void>> work) {
        IOLoop loop = exchange.loop();
        if (!last || !Thread.currentThread().isVirtual()) {
            return loop.supplyOrSubmit(work);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        loop.addCallbackBatched(() -> loop.supplyOrSubmit(work).whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(v);
            }
        }));
        return result;
    }
}
