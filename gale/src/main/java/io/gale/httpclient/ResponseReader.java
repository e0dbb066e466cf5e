package io.gale.httpclient;

import io.gale.internal.http.GzipDecoder;
import io.gale.http.HttpHeaders;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The response side of one exchange, the same over HTTP/1.1 ({@link Exchange}) and HTTP/2
 * ({@link Http2Exchange}): it decides whether the response is a redirect the call follows (its
 * body is then discarded), runs the header callback, decompresses gzip, enforces the body limit
 * on the decoded size, and buffers the body or hands it to the streaming callback. The protocol
 * code feeds it the final head, the body pieces and the end; an exception from any of them
 * ({@link IOException}, {@link BodyTooLargeException}, a callback's {@link RuntimeException}) means
 * the exchange fails with it.
 *
 * <p>Threading: confined to the client's loop.
 */
final class ResponseReader {
    private static final byte[] EMPTY = new byte[0];
    /** The largest body that fits a Java array. */
    private static final int MAX_BUFFERED = Integer.MAX_VALUE - 16;
    /** Largest decompressed piece handed on at a time (the decoder reuses one buffer of this size). */
    private static final int GZIP_PIECE = 32 * 1024;

    private final FetchCall call;
    private final HttpRequest req;
    private final long maxBody;

    int code;
    String reason;
    HttpHeaders headers;
    /** Non-null when this response is a redirect the call will follow: its body is discarded. */
    String redirectLocation;
    long firstByteNanos;
    private GzipDecoder gzip;
    private boolean streaming;
    private byte[] body = EMPTY;
    private int size;
    private long decodedSize;
    private boolean ended;

    ResponseReader(FetchCall call, HttpRequest req, long maxBody) {
        this.call = call;
        this.req = req;
        this.maxBody = maxBody;
    }

    /**
     * The final head arrived. {@code hasBody}: the response may carry content (not a response to
     * HEAD, not 1xx/204/304); {@code contentLength} is -1 when unknown.
     */
    void head(int code, String reason, HttpHeaders headers, boolean hasBody, long contentLength) {
        firstByteNanos = System.nanoTime();
        this.code = code;
        this.reason = reason;
        this.headers = headers;
        redirectLocation = call.redirectLocation(code, headers);
        if (redirectLocation != null) {
            return;
        }
        if (req.headerCallback != null) {
            req.headerCallback.onHead(code, reason, headers);
        }
        String encoding = headers.get("Content-Encoding");
        if (req.decompressResponse && encoding != null && encoding.trim().equalsIgnoreCase("gzip") && hasBody) {
            headers.remove("Content-Encoding");
            headers.add("X-Consumed-Content-Encoding", encoding);
            gzip = new GzipDecoder(GZIP_PIECE, Long.MAX_VALUE); // maxBodySize is checked in deliver, on the decoded size
        } else if (contentLength > maxBody) {
            throw overLimit(contentLength);
        }
        streaming = req.streamingCallback != null;
        if (!streaming && gzip == null && contentLength > MAX_BUFFERED) {
            throw unbufferable(contentLength);
        }
        if (!streaming && gzip == null && contentLength > 0 && hasBody) {
            body = new byte[(int) contentLength];
        }
    }

    /** A piece of the body (discarded for a redirect that is followed). */
    void body(ByteBuffer data) throws IOException {
        if (redirectLocation != null || ended) {
            return;
        }
        if (gzip != null) {
            gzip.feed(data);
            for (ByteBuffer piece = gzip.next(); piece != null; piece = gzip.next()) {
                deliver(piece);
            }
            if (gzip.error() != null) {
                throw new IOException("gzip body: " + gzip.error());
            }
        } else {
            deliver(data);
        }
    }

    private void deliver(ByteBuffer data) {
        int n = data.remaining();
        decodedSize += n;
        if (decodedSize > maxBody) {
            throw overLimit(-1);
        }
        if (streaming) {
            req.streamingCallback.accept(data);
            return;
        }
        if ((long) size + n > MAX_BUFFERED) {
            throw unbufferable(-1);
        }
        if (size + n > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(MAX_BUFFERED,
                    Math.max((long) size + n, Math.max(8192, (long) body.length * 2))));
        }
        data.get(body, size, n);
        size += n;
    }

    /**
     * The one message of the body limit, whether a declared length or the bytes received cross it
     * ({@code declared} -1 for the latter; after decompression when the body is gzip).
     */
    private BodyTooLargeException overLimit(long declared) {
        return new BodyTooLargeException("response body" + (declared >= 0 ? " of " + declared + " bytes" : "")
                + " exceeds maxBodySize " + maxBody + (gzip != null ? " (after decompression)" : ""));
    }

    /** A body with no streaming callback that cannot fit one array ({@code declared} -1: found while reading). */
    private static BodyTooLargeException unbufferable(long declared) {
        return new BodyTooLargeException("response body" + (declared >= 0 ? " of " + declared + " bytes" : "")
                + " is too large to buffer in an array; use a streamingCallback");
    }

    /** The body is complete: checks the gzip trailer; returns the buffered body (empty when streamed). */
    byte[] finish() throws IOException {
        if (gzip != null) {
            String bad;
            try {
                bad = gzip.finish();
            } finally {
                end();
            }
            if (bad != null) {
                throw new IOException("gzip body: " + bad);
            }
        }
        ended = true;
        return size == body.length ? body : Arrays.copyOf(body, size);
    }

    /** Releases the inflater; later pieces are ignored. Idempotent. */
    void end() {
        ended = true;
        if (gzip != null) {
            gzip.close();
        }
    }
}
