package io.gale.httpclient;

import io.gale.http.HttpHeaders;
import io.gale.http.HttpVersion;
import io.gale.http2.Http2Exception;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * One {@code fetch}: its hops (redirects), the request timeout of each hop, the queue timeout,
 * retries, and the outcome. Two kinds of retry: once, an idempotent request that failed on a
 * reused connection before any response byte arrived (the server closed the idle connection as we
 * sent); and up to {@value #MAX_UNPROCESSED_RETRIES} times, an HTTP/2 request the server did not
 * process (RST_STREAM REFUSED_STREAM, or a stream above the last stream id of its GOAWAY), on
 * another stream or connection, whatever its method: RFC 9113 section 8.7 guarantees such a
 * request had no effect. A request with a {@link BodyProducer} is never retried (its body cannot
 * be produced twice).
 *
 * <p>Threading: confined to the client's loop; the result completes there.
 */
final class FetchCall implements ConnectionPool.Waiter {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Retries of a request the server did not process (a server refusing forever must not loop). */
    static final int MAX_UNPROCESSED_RETRIES = 3;

    private final AsyncHttpClient client;
    private final IOLoop loop;
    private final HttpRequest original;
    final CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    private final ConnectTiming connectTiming = new ConnectTiming();

    /** Marks a 401 whose digest challenge is answered by sending the hop again. */
    static final String DIGEST_RETRY = new String("digest");

    private HttpRequest hop;
    private String digestChallenge;
    private Address address;
    private RequestHead head;
    private int redirects;
    private boolean retried;
    private int unprocessedRetries;
    private boolean waiting;
    private boolean done;
    private Timeout requestTimer;
    private Timeout queueTimer;
    private HopExchange exchange;
    private long hopStart;
    private long queueNanos;

    FetchCall(AsyncHttpClient client, HttpRequest request) {
        this.client = client;
        this.loop = client.loop();
        this.original = request;
    }

    IOLoop loop() {
        return loop;
    }

    void start() {
        try {
            RequestHead.validate(original);
        } catch (IllegalArgumentException e) {
            done = true;
            result.completeExceptionally(e);
            return;
        }
        startHop(original);
    }

    private void startHop(HttpRequest r) {
        hop = r;
        address = client.addressFor(r);
        head = RequestHead.build(r, address, client.options().userAgent());
        hopStart = System.nanoTime();
        if (requestTimer != null) {
            requestTimer.cancel();
        }
        requestTimer = loop.callLater(r.requestTimeout, () -> fail(new TimeoutException("Timeout during request (after "
                + r.requestTimeout.toMillis() + " ms)")));
        acquire();
    }

    private void acquire() {
        exchange = null;
        connectTiming.reset();
        waiting = true;
        if (client.pool().acquire(this)) {
            Duration qt = hop.connectTimeout.compareTo(hop.requestTimeout) < 0 ? hop.connectTimeout : hop.requestTimeout;
            queueTimer = loop.callLater(qt, () -> {
                client.pool().cancel(this);
                fail(new TimeoutException("Timeout in request queue (after " + qt.toMillis() + " ms)"));
            });
        }
    }

    // ------------------------------------------------------------------ pool callbacks

    @Override
    public Address address() {
        return address;
    }

    @Override
    public boolean isWaiting() {
        return waiting && !done;
    }

    @Override
    public void onSlot() {
        if (queueTimer != null) {
            queueTimer.cancel();
            queueTimer = null;
        }
        queueNanos = System.nanoTime() - hopStart;
    }

    @Override
    public CompletableFuture<ClientConnection> openConnection() {
        return client.connector().connect(address, hop.connectTimeout, connectTiming);
    }

    @Override
    public void onConnection(ClientConnection c, boolean reused) {
        waiting = false;
        if (reused) {
            connectTiming.reset();
        }
        long maxBody = hop.maxBodySize >= 0 ? hop.maxBodySize : client.options().maxBodySize();
        exchange = c instanceof Http2ClientConnection h2 ? new Http2Exchange(this, h2, reused, hop, head, maxBody)
                : new Exchange(this, (Connection) c, reused, hop, head, maxBody);
        exchange.start();
    }

    @Override
    public void onConnectFailed(Throwable error) {
        waiting = false;
        fail(error);
    }

    // -------------------------------------------------------------- exchange callbacks

    /**
     * The Location to follow for this response head ({@link #DIGEST_RETRY} to answer a digest
     * challenge), or null if it is the final response.
     */
    String redirectLocation(int code, HttpHeaders headers) {
        if (code == 401 && hop.digestAuth && digestChallenge == null && hop.bodyProducer == null
                && DigestAuth.isDigest(headers.get("WWW-Authenticate"))) {
            digestChallenge = headers.get("WWW-Authenticate");
            return DIGEST_RETRY;
        }
        if (!hop.followRedirects || !REDIRECTS.contains(code) || redirects >= hop.maxRedirects) {
            return null;
        }
        if ((code == 307 || code == 308) && hop.bodyProducer != null) {
            return null; // a streamed body cannot be sent again: hand the 307/308 to the caller
        }
        return headers.get("Location");
    }

    void onExchangeComplete(HopExchange ex, boolean reusable, int code, String reason, HttpHeaders headers, byte[] body,
                            HttpVersion version) {
        client.pool().release(ex.connection(), reusable);
        if (done) {
            return;
        }
        String location = ex.redirectLocation();
        if (location == DIGEST_RETRY) {
            String auth = DigestAuth.authorize(digestChallenge, hop.method, head.target, hop.authUsername,
                    hop.authPassword);
            if (auth == null) {
                fail(new IOException("cannot answer the server's digest challenge: " + digestChallenge));
                return;
            }
            HttpHeaders h = hop.headers.copy();
            h.set("Authorization", auth);
            startHop(hop.toBuilder().headers(h).build());
            return;
        }
        if (location != null) {
            HttpRequest next;
            try {
                next = Redirects.follow(hop, code, location);
            } catch (IllegalArgumentException e) {
                fail(new IOException("bad redirect Location '" + location + "': " + e.getMessage(), e));
                return;
            }
            redirects++;
            startHop(next);
            return;
        }
        long now = System.nanoTime();
        HttpTiming timing = new HttpTiming(queueNanos, connectTiming.dnsNanos, connectTiming.connectNanos,
                connectTiming.tlsNanos, ex.firstByteNanos() - hopStart, now - hopStart);
        HttpResponse response = new HttpResponse(original, code, reason, headers, body, hop.url, timing, version);
        done = true;
        cancelTimers();
        if (original.raiseError && (code < 200 || code >= 300)) {
            result.completeExceptionally(new HttpClientException(response));
        } else {
            result.complete(response);
        }
    }

    void onExchangeFailed(HopExchange ex, Throwable error) {
        if (done) {
            return;
        }
        if (error instanceof Http2Exception h2 && h2.unprocessed() && hop.bodyProducer == null
                && unprocessedRetries < MAX_UNPROCESSED_RETRIES) {
            unprocessedRetries++;
            acquire(); // the pool gives a usable stream: this connection's if it is not going away
            return;
        }
        boolean retryable = ex.reused() && !retried && !ex.receivedAny() && hop.bodyProducer == null
                && IDEMPOTENT.contains(hop.method) && !(error instanceof BodyTooLargeException);
        if (retryable) {
            retried = true;
            client.pool().closeIdle(address);
            acquire();
            return;
        }
        fail(error);
    }

    private void fail(Throwable error) {
        if (done) {
            return;
        }
        done = true;
        waiting = false;
        cancelTimers();
        if (exchange != null) {
            exchange.abort(error);
        }
        Throwable cause = Connector.unwrap(error);
        String msg = cause instanceof TimeoutException ? cause.getMessage() : describe(cause);
        result.completeExceptionally(new HttpClientException(msg + " (" + hop.method + " " + hop.url + ")", cause));
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        String kind = t.getClass().getSimpleName();
        return m == null ? kind : kind + ": " + m;
    }

    private void cancelTimers() {
        if (requestTimer != null) {
            requestTimer.cancel();
        }
        if (queueTimer != null) {
            queueTimer.cancel();
        }
    }
}
