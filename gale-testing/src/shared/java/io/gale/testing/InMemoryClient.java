package io.gale.testing;

import io.gale.http.HttpHeaders;
import io.gale.http.HttpMessageDelegate;
import io.gale.http.HttpServerConnectionDelegate;
import io.gale.http.HttpServerRequest;
import io.gale.http.HttpStatus;
import io.gale.http.HttpVersion;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Serves requests to an application without a socket, for fast handler tests: it drives the
 * application's {@link HttpMessageDelegate} as the HTTP/1.1 connection does (the head, then the
 * body pieces one at a time, the next only once the stage returned for the previous one completed,
 * then the end) on a real {@link IOLoop}, and records the response through a
 * {@link TestConnection} that checks the exchange contract.
 *
 * <pre>{@code
 * try (InMemoryClient client = new InMemoryClient(app)) {
 *     TestResponse r = client.fetch("/todos");
 *     assertThat(r.code()).isEqualTo(200);
 *     assertThat(r.violations()).isEmpty();
 *     InMemoryClient.Exchange poll = client.start(TestRequest.get("/poll"));  // in flight
 *     poll.connection().clientClosed();                                       // the client leaves
 * }
 * }</pre>
 *
 * <p>What it does not do: parse or frame bytes (the codec has its own tests), apply server
 * options (timeouts, the parser's limits, TLS, gzip of requests). For those, serve the
 * application on a socket with {@link TestServer}.
 *
 * <p>Threading: {@link #fetch} and {@link #start} may be called from any thread except the loop's;
 * everything that touches the application runs on the loop. {@link #close()} stops a loop the
 * client created, never one it was given.
 */
public final class InMemoryClient implements AutoCloseable {
    private final IOLoop loop;
    private final boolean ownLoop;
    private final HttpServerConnectionDelegate app;
    /** How long {@link #fetch} waits; default {@link GaleTesting#asyncTestTimeout()}. */
    private final Duration timeout;

    /**
     * One request in flight: its connection (to make the client go away) and its response.
     *
     * @param connection the connection
     * @param response the response
     */
    public record Exchange(TestConnection connection, CompletableFuture<TestResponse> response) {
        /**
         * Waits for the response (at most {@code timeout}).
         *
         * @param timeout the time limit
         * @return the test response
         */
        public TestResponse await(Duration timeout) {
            return GaleTesting.await(response, timeout);
        }
    }

    /**
     * A client with a loop of its own (watchdog on, as {@link IOLoopOptions#defaults()}).
     *
     * @param app the application
     */
    public InMemoryClient(HttpServerConnectionDelegate app) {
        this(app, newLoop(), true, GaleTesting.asyncTestTimeout());
    }

    /**
     * A client on {@code loop}, which the caller started and closes.
     *
     * @param app the application
     * @param loop the loop
     */
    public InMemoryClient(HttpServerConnectionDelegate app, IOLoop loop) {
        this(app, loop, false, GaleTesting.asyncTestTimeout());
    }

    private InMemoryClient(HttpServerConnectionDelegate app, IOLoop loop, boolean ownLoop, Duration timeout) {
        this.app = Objects.requireNonNull(app, "app");
        this.loop = loop;
        this.ownLoop = ownLoop;
        this.timeout = timeout;
    }

    private static IOLoop newLoop() {
        IOLoop loop = new IOLoop(IOLoopOptions.builder().name("gale-test-memory").daemon(true).build());
        loop.startInBackground();
        return loop;
    }

    /**
     * This client, waiting at most {@code timeout} in {@link #fetch} (same loop).
     *
     * @param timeout the timeout
     * @return a copy with this value replaced
     */
    public InMemoryClient withTimeout(Duration timeout) {
        return new InMemoryClient(app, loop, false, timeout);
    }

    /**
     * The loop the application runs on.
     *
     * @return the loop the application runs on
     */
    public IOLoop loop() {
        return loop;
    }

    /**
     * GET {@code uri} and wait for the response.
     *
     * @param uri the URI
     * @return the test response
     */
    public TestResponse fetch(String uri) {
        return fetch(TestRequest.get(uri));
    }

    /**
     * Sends {@code request} and waits for the finished response.
     *
     * @param request the request
     * @return the test response
     * @throws AssertionError when no response came in time, or the application failed on the
     *     request's head (its exception is the cause)
     */
    public TestResponse fetch(TestRequest request) {
        CompletableFuture<TestResponse> f = start(request).response();
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no response to " + request + " within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new AssertionError("no response to " + request + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + request, e);
        }
    }

    /**
     * Starts a request and returns at once, with the request's connection once it exists.
     *
     * @param request the request
     * @return the started exchange
     */
    public Exchange start(TestRequest request) {
        if (loop.inLoop()) {
            throw new IllegalStateException("start() waits for the loop: call it from another thread");
        }
        CompletableFuture<TestResponse> response = new CompletableFuture<>();
        CompletableFuture<TestConnection> started = new CompletableFuture<>();
        loop.addCallback(() -> {
            TestConnection c = new TestConnection(loop, request.method, response);
            started.complete(c);
            try {
                HttpMessageDelegate d = app.startRequest(c);
                c.delegate = d;
                HttpHeaders h = request.headers.copy();
                if (!h.contains("Host")) {
                    h.add("Host", "localhost:8888");
                }
                if (!request.bodyPieces.isEmpty() && !request.chunked && !h.contains("Content-Length")) {
                    h.add("Content-Length", Integer.toString(request.bodyLength()));
                }
                HttpServerRequest r = new HttpServerRequest(c, request.method, request.uri, HttpVersion.HTTP_1_1, h,
                        request.remoteIp, "http");
                after(d.headersReceived(r), () -> {
                    // The exchange's body limit, as the server applies it: a declared length up front.
                    c.bodyStarted = true;
                    String declared = h.get("Content-Length");
                    if (declared != null && Long.parseLong(declared.strip()) > c.maxBodySize()) {
                        tooLarge(c);
                        return;
                    }
                    feed(c, d, request, 0, 0);
                });
            } catch (RuntimeException e) {
                response.completeExceptionally(e);
            }
        });
        return new Exchange(started.join(), response);
    }

    /** The server's answer to a body over the exchange's limit: 413 with the application's error page. */
    private void tooLarge(TestConnection c) {
        c.protocolError(413, app.errorBody(413, HttpStatus.reasonPhrase(413)));
    }

    private void feed(TestConnection c, HttpMessageDelegate d, TestRequest request, int index, long received) {
        if (c.isClosed()) {
            return;
        }
        try {
            if (index == request.bodyPieces.size()) {
                d.finish();
                return;
            }
            long total = received + request.bodyPieces.get(index).length;
            if (total > c.maxBodySize()) {
                tooLarge(c); // a chunked body, counted as it arrives
                return;
            }
            ByteBuffer piece = ByteBuffer.wrap(request.bodyPieces.get(index).clone());
            CompletionStage<?> stage = d.dataReceived(piece);
            // The delegate may not keep the buffer: scribble over it, as a reused read buffer would be.
            Arrays.fill(piece.array(), (byte) '#');
            after(stage, () -> feed(c, d, request, index + 1, total));
        } catch (RuntimeException e) {
            c.response().completeExceptionally(e);
        }
    }

    private void after(CompletionStage<?> stage, Runnable next) {
        if (stage == null) {
            next.run();
        } else {
            stage.whenComplete((v, e) -> loop.addCallback(next));
        }
    }

    @Override
    public void close() {
        if (ownLoop) {
            loop.close();
        }
    }
}
