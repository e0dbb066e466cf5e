package io.gale.http;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.time.Duration;

/** Test support for server tests: a server on one loop at 127.0.0.1, small delegates, a raw client. */
final class HttpServerTesting {
    private HttpServerTesting() {
    }

    /** A running server on its own loop; close() stops both. */
    static final class Running implements AutoCloseable {
        final IOLoop loop;
        final HttpServer server;
        final int port;

        Running(HttpServerConnectionDelegate delegate, HttpServerOptions options) throws IOException {
            loop = new IOLoop(IOLoopOptions.builder().name("http-test").daemon(true).build());
            loop.startInBackground();
            server = new HttpServer(delegate, options);
            server.bind(0, "127.0.0.1");
            server.start(loop);
            port = server.boundPorts().get(0);
        }

        RawClient client() throws IOException {
            return new RawClient(port);
        }

        @Override
        public void close() {
            server.close();
            loop.stop();
        }
    }

    static Running start(HttpServerConnectionDelegate delegate) throws IOException {
        return new Running(delegate, HttpServerOptions.defaults());
    }

    static Running start(HttpServerConnectionDelegate delegate, HttpServerOptions options) throws IOException {
        return new Running(delegate, options);
    }

    /** What a {@link Buffering} delegate does once a request is complete. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpServerRequest request, byte[] body, HttpExchange connection) throws Exception;
    }

    /** A delegate that buffers the body and calls a handler at the end. */
    static HttpServerConnectionDelegate buffering(Handler handler) {
        return conn -> new Buffering(conn, handler);
    }

    static class Buffering implements HttpMessageDelegate {
        final HttpExchange conn;
        final Handler handler;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpServerRequest request;

        Buffering(HttpExchange conn, Handler handler) {
            this.conn = conn;
            this.handler = handler;
        }

        @Override
        public CompletionStage<?> headersReceived(HttpServerRequest r) {
            request = r;
            return null;
        }

        @Override
        public CompletionStage<?> dataReceived(ByteBuffer chunk) {
            byte[] b = new byte[chunk.remaining()];
            chunk.get(b);
            body.writeBytes(b);
            return null;
        }

        @Override
        public void finish() {
            try {
                handler.handle(request, body.toByteArray(), conn);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }

        @Override
        public void onConnectionClose() {
        }
    }

    /**
     * A delegate that answers {@code status} as soon as the head arrives and discards the body; it
     * marks the request finished when it answers, as the web layer's {@code RequestHandler} does.
     */
    static HttpServerConnectionDelegate answeringEarly(int status, String body) {
        return conn -> new HttpMessageDelegate() {
            @Override
            public CompletionStage<?> headersReceived(HttpServerRequest request) {
                respond(conn, status, body);
                request.markFinished();
                return null;
            }

            @Override
            public CompletionStage<?> dataReceived(ByteBuffer chunk) {
                return null;
            }

            @Override
            public void finish() {
            }

            @Override
            public void onConnectionClose() {
            }
        };
    }

    /** Answers {@code body} with Content-Length and a text/plain type. */
    static void respond(HttpExchange c, int status, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        HttpHeaders h = new HttpHeaders().set("Content-Type", "text/plain").set("Content-Length", Integer.toString(b.length));
        c.writeHeaders(status, null, h, ByteBuffer.wrap(b));
        c.finish();
    }

    /** A parsed response as a raw client saw it. */
    record Response(int status, String statusLine, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A blocking socket client that writes raw bytes and parses responses leniently. */
    static final class RawClient implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        RawClient(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
            socket.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        RawClient send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        RawClient send(byte[] b) throws IOException {
            out.write(b);
            out.flush();
            return this;
        }

        void halfClose() throws IOException {
            socket.shutdownOutput();
        }

        /** -1 at EOF. */
        int peek() throws IOException {
            in.mark(1);
            int b = in.read();
            in.reset();
            return b;
        }

        /** True when the server closed the connection (EOF or reset) with no more bytes. */
        boolean isClosedByServer() throws IOException {
            try {
                return in.read() == -1;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    break;
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            if (c == -1 && sb.isEmpty()) {
                return null;
            }
            return sb.toString();
        }

        /** One response; {@code head} for a response without body (HEAD request). */
        Response readResponse(boolean head) throws IOException {
            String statusLine = line();
            if (statusLine == null) {
                throw new java.io.EOFException("connection closed before a response");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            String l;
            while ((l = line()) != null && !l.isEmpty()) {
                int colon = l.indexOf(':');
                String name = l.substring(0, colon).toLowerCase(Locale.ROOT);
                String value = l.substring(colon + 1).strip();
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (head || status < 200 || status == 204 || status == 304) {
                return new Response(status, statusLine, headers, body.toByteArray());
            }
            if (headers.containsKey("content-length")) {
                body.writeBytes(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else if ("chunked".equals(headers.get("transfer-encoding"))) {
                for (;;) {
                    String size = line();
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt(semi < 0 ? size : size.substring(0, semi), 16);
                    if (n == 0) {
                        while ((l = line()) != null && !l.isEmpty()) {
                            // trailers ignored
                        }
                        break;
                    }
                    body.writeBytes(in.readNBytes(n));
                    line();
                }
            } else {
                body.writeBytes(in.readAllBytes());
            }
            return new Response(status, statusLine, headers, body.toByteArray());
        }

        Response readResponse() throws IOException {
            return readResponse(false);
        }

        /** Everything until the server closes (or resets) the connection. */
        String readUntilClose() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) != -1) {
                    b.write(buf, 0, n);
                }
            } catch (java.net.SocketException e) {
                // reset after close: what arrived counts
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
