package io.gale.web;

import io.gale.http.HttpHeaders;
import io.gale.http.HttpMessageDelegate;
import io.gale.http.HttpServerRequest;
import io.gale.http.HttpVersion;
import io.gale.ioloop.IOLoop;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Runs requests through an {@link Application} in memory, on a real {@link IOLoop} running in the
 * background, driving the delegate as the HTTP/1.1 connection does: headers, then body pieces
 * one at a time (the next only after the previous stage completed: flow control), then finish.
 * Tests use {@link #fetch}, which a socket client can provide later with the same signature.
 */
final class InMemoryClient implements AutoCloseable {
    final IOLoop loop = new IOLoop();
    private final Application app;

    /** One request in flight: its connection (to simulate a client close) and its response. */
    record Exchange(TestConnection connection, CompletableFuture<TestResponse> response) {
    }

    InMemoryClient(Application app) {
        this.app = app;
        loop.startInBackground();
    }

    /** Sends a request and waits (at most 10 s) for the finished response. */
    TestResponse fetch(TestRequest request) {
        try {
            return start(request).response().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no response to " + request.method + " " + request.uri, e);
        }
    }

    TestResponse fetch(String uri) {
        return fetch(TestRequest.get(uri));
    }

    /** Starts a request; returns at once. */
    Exchange start(TestRequest request) {
        CompletableFuture<TestResponse> response = new CompletableFuture<>();
        CompletableFuture<TestConnection> conn = new CompletableFuture<>();
        loop.addCallback(() -> {
            TestConnection c = new TestConnection(loop, request.method, response);
            conn.complete(c);
            HttpMessageDelegate d = app.startRequest(c);
            c.delegate = d;
            HttpHeaders h = request.headers.copy();
            if (!h.contains("Host")) {
                h.add("Host", "localhost:8888");
            }
            if (!request.bodyChunks.isEmpty() && !request.chunked && !h.contains("Content-Length")) {
                h.add("Content-Length", Integer.toString(request.bodyLength()));
            }
            HttpServerRequest r = new HttpServerRequest(c, request.method, request.uri, HttpVersion.HTTP_1_1, h,
                    "127.0.0.1", "http");
            after(d.headersReceived(r), () -> {
                // The exchange's body limit, as the server applies it: a declared length up front.
                c.bodyStarted = true;
                String declared = h.get("Content-Length");
                if (declared != null && Long.parseLong(declared.strip()) > c.maxBodySize()) {
                    c.protocolError(413);
                    return;
                }
                feed(c, d, request, 0, 0);
            });
        });
        return new Exchange(conn.join(), response);
    }

    private void feed(TestConnection c, HttpMessageDelegate d, TestRequest request, int index, long received) {
        if (c.isClosed()) {
            return;
        }
        if (index == request.bodyChunks.size()) {
            d.finish();
            return;
        }
        long total = received + request.bodyChunks.get(index).length;
        if (total > c.maxBodySize()) {
            c.protocolError(413); // a chunked body, counted as it arrives
            return;
        }
        ByteBuffer chunk = ByteBuffer.wrap(request.bodyChunks.get(index).clone());
        CompletionStage<?> stage = d.dataReceived(chunk);
        // The delegate may not keep the buffer: scribble over it, as a reused read buffer would be.
        java.util.Arrays.fill(chunk.array(), (byte) '#');
        after(stage, () -> feed(c, d, request, index + 1, total));
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
        loop.close();
    }
}
