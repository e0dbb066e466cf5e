package io.gale.demos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.http.HttpExchange;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpMessageDelegate;
import io.gale.http.HttpServerConnectionDelegate;
import io.gale.http.HttpServerRequest;
import io.gale.http.HttpVersion;
import io.gale.ioloop.IOLoop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Serves requests to an application without sockets, on a real {@link IOLoop} running in the
 * background: it drives the application's {@link HttpMessageDelegate} as an HTTP/1.1 connection
 * does (headers, body pieces with flow control, finish) and records the response through an
 * in-memory {@link HttpExchange} that checks the exchange contract (loop confinement, write
 * order, Content-Length, no body for HEAD/204/304).
 *
 * <p>Threading: {@link #fetch} and {@link #start} may be called from any thread; everything that
 * touches the application runs on the loop. Close it to stop the loop.
 */
public final class InMemoryHttp implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final IOLoop loop = new IOLoop();
    private final HttpServerConnectionDelegate app;

    public InMemoryHttp(HttpServerConnectionDelegate app) {
        this.app = app;
        loop.startInBackground();
    }

    public IOLoop loop() {
        return loop;
    }

    /** A request to send. */
    public static final class Request {
        final String method;
        final String uri;
        final HttpHeaders headers = new HttpHeaders();
        final List<byte[]> body = new ArrayList<>();
        String remoteIp = "127.0.0.1";

        private Request(String method, String uri) {
            this.method = method;
            this.uri = uri;
        }

        public static Request of(String method, String uri) {
            return new Request(method, uri);
        }

        public static Request get(String uri) {
            return new Request("GET", uri);
        }

        public Request header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /** Appends a body piece (several pieces arrive one by one). */
        public Request body(byte[] piece) {
            body.add(piece.clone());
            return this;
        }

        public Request body(String piece) {
            return body(piece.getBytes(StandardCharsets.UTF_8));
        }

        int bodyLength() {
            return body.stream().mapToInt(b -> b.length).sum();
        }
    }

    /** A response as the client would see it; {@code pieces} are the body as written, piece by piece. */
    public record Response(int status, String reason, HttpHeaders headers, byte[] body, List<byte[]> pieces,
            List<String> violations) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name);
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One request in flight. */
    public record Exchange(MemoryConnection connection, CompletableFuture<Response> response) {
    }

    public Response fetch(String uri) {
        return fetch(Request.get(uri));
    }

    /** Sends a request and waits (at most 20 s) for the finished response. */
    public Response fetch(Request request) {
        try {
            return start(request).response().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no response to " + request.method + " " + request.uri, e);
        }
    }

    /** Starts a request and returns at once. */
    public Exchange start(Request request) {
        CompletableFuture<Response> response = new CompletableFuture<>();
        CompletableFuture<MemoryConnection> started = new CompletableFuture<>();
        loop.addCallback(() -> {
            MemoryConnection c = new MemoryConnection(loop, request.method, response);
            started.complete(c);
            try {
                HttpMessageDelegate d = app.startRequest(c);
                c.delegate = d;
                HttpHeaders h = request.headers.copy();
                if (!h.contains("Host")) {
                    h.add("Host", "localhost:8888");
                }
                if (!request.body.isEmpty() && !h.contains("Content-Length")) {
                    h.add("Content-Length", Integer.toString(request.bodyLength()));
                }
                HttpServerRequest r = new HttpServerRequest(c, request.method, request.uri, HttpVersion.HTTP_1_1, h,
                        request.remoteIp, "http");
                after(d.headersReceived(r), () -> feed(c, d, request, 0));
            } catch (RuntimeException e) {
                response.completeExceptionally(e);
            }
        });
        return new Exchange(started.join(), response);
    }

    private void feed(MemoryConnection c, HttpMessageDelegate d, Request request, int index) {
        if (c.isClosed()) {
            return;
        }
        if (index == request.body.size()) {
            d.finish();
            return;
        }
        ByteBuffer piece = ByteBuffer.wrap(request.body.get(index).clone());
        CompletionStage<?> stage = d.dataReceived(piece);
        java.util.Arrays.fill(piece.array(), (byte) '#'); // a reused read buffer: the delegate must have copied
        after(stage, () -> feed(c, d, request, index + 1));
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

    /**
     * The in-memory connection: records the response and the contract violations a real
     * connection would turn into broken framing. Loop-confined.
     */
    public static final class MemoryConnection implements HttpExchange {
        private final IOLoop loop;
        private final String method;
        private final CompletableFuture<Response> response;
        HttpMessageDelegate delegate;
        private int status;
        private String reason;
        private HttpHeaders headers;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final List<byte[]> pieces = new ArrayList<>();
        private final List<String> violations = new ArrayList<>();
        private long declaredLength = -1;
        /** Recorded only: these tests send no body over the server's limit. */
        private long maxBodySize = io.gale.http.Http1ParserLimits.DEFAULTS.maxBodySize();
        private boolean headersWritten;
        private boolean finished;
        private boolean closed;

        MemoryConnection(IOLoop loop, String method, CompletableFuture<Response> response) {
            this.loop = loop;
            this.method = method;
            this.response = response;
        }

        @Override
        public IOLoop loop() {
            return loop;
        }

        private void checkLoop(String what) {
            if (!loop.inLoop()) {
                violations.add(what + " off the loop on " + Thread.currentThread());
            }
        }

        private boolean bodyAllowed() {
            return io.gale.http.HttpStatus.responseHasBody(method, status);
        }

        @Override
        public long maxBodySize() {
            return maxBodySize;
        }

        @Override
        public void setMaxBodySize(long bytes) {
            maxBodySize = bytes;
        }

        @Override
        public CompletableFuture<Void> writeHeaders(int status, String reason, HttpHeaders headers, long contentLength,
                ByteBuffer first) {
            checkLoop("writeHeaders");
            if (headersWritten) {
                throw new IllegalStateException("headers already written");
            }
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("closed"));
            }
            String cl = headers.get("Content-Length");
            if (contentLength >= 0 && cl != null) {
                throw new IllegalArgumentException("Content-Length given twice");
            }
            headersWritten = true;
            this.status = status;
            this.reason = reason;
            this.headers = headers.copy();
            boolean permits = io.gale.http.HttpStatus.permitsContent(status);
            if (contentLength >= 0 && permits) {
                this.headers.set("Content-Length", Long.toString(contentLength)); // as the exchange writes it
            }
            declaredLength = !permits ? -1 : contentLength >= 0 ? contentLength : cl == null ? -1 : Long.parseLong(cl);
            if ((status == 204 || status == 304) && cl != null) {
                violations.add("Content-Length on a " + status);
            }
            if (first != null) {
                append(first);
            }
            return CompletableFuture.completedFuture(null);
        }

        private void append(ByteBuffer piece) {
            byte[] b = new byte[piece.remaining()];
            piece.duplicate().get(b);
            if (!bodyAllowed()) {
                return;
            }
            pieces.add(b);
            body.writeBytes(b);
            if (declaredLength >= 0 && body.size() > declaredLength) {
                violations.add("more bytes than Content-Length");
            }
        }

        @Override
        public CompletableFuture<Void> write(ByteBuffer piece) {
            checkLoop("write");
            if (!headersWritten || finished) {
                throw new IllegalStateException("write before headers or after finish");
            }
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("closed"));
            }
            append(piece);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> finish(HttpHeaders trailers) {
            checkLoop("finish");
            if (!headersWritten || finished) {
                throw new IllegalStateException("finish before headers or twice");
            }
            finished = true;
            if (bodyAllowed() && declaredLength >= 0 && body.size() != declaredLength) {
                violations.add("Content-Length " + declaredLength + " but " + body.size() + " bytes");
            }
            if (!closed) {
                response.complete(new Response(status, reason, headers, body.toByteArray(), List.copyOf(pieces),
                        List.copyOf(violations)));
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean headersWritten() {
            return headersWritten;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            checkLoop("close");
            clientClosed();
        }

        /** The client goes away (call on the loop): the delegate hears of it unless the response was finished. */
        public void clientClosed() {
            if (closed) {
                return;
            }
            closed = true;
            if (!finished) {
                delegate.onConnectionClose();
                response.completeExceptionally(new IllegalStateException("closed before the response finished"));
            }
        }
    }
}
