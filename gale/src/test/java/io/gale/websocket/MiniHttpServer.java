package io.gale.websocket;

import io.gale.http.Http1Parser;
import io.gale.http.Http1ParserLimits;
import io.gale.http.HttpConnection;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpMessageDelegate;
import io.gale.http.HttpServerConnectionDelegate;
import io.gale.http.HttpServerRequest;
import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import io.gale.net.TcpServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A stand-in for the HTTP/1.1 server (on another branch) in tests: one request per connection,
 * head only, answered through an {@link HttpConnection} whose {@link #detach()} follows the
 * contract WebSocketHandler relies on (bytes after the head stay in the stream's buffer, because
 * the head is read with {@code readUntil}). Non-101 answers close the connection after them.
 */
final class MiniHttpServer implements AutoCloseable {
    final IOLoop loop = new IOLoop();
    final TcpServer server;
    final int port;

    MiniHttpServer(HttpServerConnectionDelegate app) throws Exception {
        loop.startInBackground();
        server = new TcpServer((stream, address) -> stream.readUntil("\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 65536)
                .thenAccept(head -> {
                    Http1Parser p = Http1Parser.forRequests(Http1ParserLimits.DEFAULTS);
                    if (p.next(ByteBuffer.wrap(head)) != Http1Parser.Event.HEAD) {
                        stream.close();
                        return;
                    }
                    Connection c = new Connection(stream);
                    HttpMessageDelegate d = app.startRequest(c);
                    d.headersReceived(new HttpServerRequest(c, p.method(), p.target(), p.version(), p.headers(),
                            address.getAddress().getHostAddress(), "http"));
                    d.finish();
                }));
        port = server.bind(0, "127.0.0.1").start(loop).boundPorts().get(0);
    }

    private static final class Connection implements HttpConnection {
        private final IOStream stream;
        private boolean headers;
        private boolean detached;

        Connection(IOStream stream) {
            this.stream = stream;
        }

        @Override
        public IOLoop loop() {
            return stream.loop();
        }

        @Override
        public CompletableFuture<Void> writeHeaders(int status, String reason, HttpHeaders h, ByteBuffer firstChunk) {
            headers = true;
            StringBuilder b = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
            h.forEach((n, v) -> b.append(n).append(": ").append(v).append("\r\n"));
            if (status != 101) {
                b.append("Connection: close\r\n");
            }
            b.append("\r\n");
            CompletableFuture<Void> f = stream.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
            return firstChunk != null && firstChunk.hasRemaining() ? stream.write(firstChunk) : f;
        }

        @Override
        public CompletableFuture<Void> write(ByteBuffer chunk) {
            return stream.write(chunk);
        }

        @Override
        public CompletableFuture<Void> finish() {
            CompletableFuture<Void> f = stream.write(ByteBuffer.allocate(0));
            if (!detached) {
                f.whenComplete((v, e) -> stream.close());
            }
            return f;
        }

        @Override
        public boolean headersWritten() {
            return headers;
        }

        @Override
        public boolean isClosed() {
            return stream.isClosed();
        }

        @Override
        public void close() {
            stream.close();
        }

        @Override
        public IOStream detach() {
            detached = true;
            return stream;
        }
    }

    @Override
    public void close() {
        server.stop(true);
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.addCallback(() -> done.complete(null));
        done.join();
        loop.stop();
        loop.close();
    }
}
