package io.gale.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.ioloop.IOLoop;
import io.gale.websocket.CompressionOptions;
import io.gale.websocket.WebSocketClient;
import io.gale.websocket.WebSocketClientConnection;
import io.gale.websocket.WebSocketClientOptions;
import io.gale.websocket.WebSocketMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The soak's mixed traffic against the httpbin demo (and the relay), every response checked.
 * One virtual thread per stream of work, each paced by a pause between its steps, so the load
 * is steady and modest (a few hundred exchanges a second) on a shared machine:
 *
 * <table class="striped">
 * <caption>Kinds of traffic</caption>
 * <tr><th>kind</th><th>client</th><th>what is checked</th></tr>
 * <tr><td>keepalive</td><td>JDK HttpClient, HTTP/1.1 pool</td><td>GET /get?k=i: args.k; GET /anything/a-i: url</td></tr>
 * <tr><td>fresh</td><td>raw socket, {@code Connection: close}</td><td>GET /uuid: a UUID, then the server closes</td></tr>
 * <tr><td>pipelined</td><td>raw socket, 10 requests per write, 20 batches per connection</td><td>each /anything/p-i answered in order</td></tr>
 * <tr><td>upload</td><td>JDK HttpClient</td><td>POST /post of 16–512 KiB of text: data echoed whole</td></tr>
 * <tr><td>download</td><td>JDK HttpClient</td><td>/stream/20 (chunked JSON lines, ids 0..19), /stream-bytes/100K?seed=s (same SHA-256 for a seed every time), /range/100K with a Range (206, the letters)</td></tr>
 * <tr><td>websocket</td><td>Gale's WebSocketClient with permessage-deflate</td><td>extension negotiated; 40 text and binary messages per connection echoed exactly; clean close</td></tr>
 * <tr><td>relay</td><td>JDK HttpClient to {@link SoakRelay}</td><td>the relay's handler fetched /anything/relay-i with Gale's AsyncHttpClient: url</td></tr>
 * <tr><td>malformed</td><td>raw socket</td><td>a bad request (bad Content-Length, control byte in the target, space in a field name, a 70 KiB header, CL with chunked, a TLS hello): its 4xx, then the close</td></tr>
 * </table>
 */
final class SoakTraffic {
    static final List<String> KINDS = List.of("keepalive", "fresh", "pipelined", "upload", "download", "websocket",
            "relay", "malformed");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final int relayPort;
    private final Tally tally;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final IOLoop wsLoop = new IOLoop();
    private final Map<Integer, String> streamBytesDigests = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    SoakTraffic(int port, int relayPort, Tally tally) {
        this.port = port;
        this.relayPort = relayPort;
        this.tally = tally;
    }

    @FunctionalInterface
    private interface Step {
        /** One unit of work; returns how many exchanges it checked. */
        int run(long i) throws Exception;
    }

    void start() {
        wsLoop.startInBackground();
        worker("keepalive", 20, this::keepAlive);
        worker("keepalive", 20, this::keepAlive);
        worker("fresh", 40, i -> fresh());
        worker("pipelined", 200, i -> pipelined(i));
        worker("upload", 150, this::upload);
        worker("download", 60, this::download);
        worker("websocket", 50, i -> websocket(i));
        worker("websocket", 50, i -> websocket(i));
        worker("relay", 30, this::relay);
        worker("malformed", 150, this::malformed);
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(TIMEOUT.toMillis());
        }
        wsLoop.close();
        http.close();
    }

    private void worker(String kind, long pauseMillis, Step step) {
        threads.add(Thread.ofVirtual().name("soak-" + kind).start(() -> {
            long i = 0;
            while (running) {
                try {
                    tally.ok(kind, step.run(i++));
                } catch (Exception e) {
                    if (running) {
                        tally.error(kind, e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
                try {
                    Thread.sleep(pauseMillis); // pacing, not synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }));
    }

    private static void check(boolean ok, String what) throws Mismatch {
        if (!ok) {
            throw new Mismatch(what);
        }
    }

    /** A response that was not the right one. */
    static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message);
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private HttpResponse<byte[]> get(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    // ------------------------------------------------------------------------------ kinds

    private int keepAlive(long i) throws Exception {
        HttpResponse<byte[]> r = get(uri("/get?k=" + i));
        check(r.statusCode() == 200, "/get status " + r.statusCode());
        JsonNode j = JSON.readTree(r.body());
        check(String.valueOf(i).equals(j.path("args").path("k").asText()), "/get args.k: " + j.path("args"));
        r = get(uri("/anything/a-" + i));
        check(r.statusCode() == 200, "/anything status " + r.statusCode());
        check(JSON.readTree(r.body()).path("url").asText().endsWith("/anything/a-" + i), "/anything url");
        return 2;
    }

    private int fresh() throws Exception {
        try (Socket s = socket()) {
            s.getOutputStream().write("GET /uuid HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            RawHttp r = RawHttp.read(in);
            check(r.status() == 200, "/uuid status " + r.status());
            String uuid = JSON.readTree(r.body()).path("uuid").asText();
            check(uuid.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "uuid " + uuid);
            check(in.read() == -1, "connection not closed after Connection: close");
        }
        return 1;
    }

    private Socket pipelineSocket;
    private long pipelineBatches;

    private int pipelined(long batch) throws Exception {
        if (pipelineSocket == null || pipelineBatches++ % 20 == 0) {
            if (pipelineSocket != null) {
                pipelineSocket.close();
            }
            pipelineSocket = socket();
        }
        StringBuilder req = new StringBuilder();
        for (int k = 0; k < 10; k++) {
            req.append("GET /anything/p-").append(batch).append('-').append(k).append(" HTTP/1.1\r\nHost: soak\r\n\r\n");
        }
        try {
            pipelineSocket.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = pipelineSocket.getInputStream();
            for (int k = 0; k < 10; k++) {
                RawHttp r = RawHttp.read(in);
                check(r.status() == 200, "pipelined status " + r.status());
                String url = JSON.readTree(r.body()).path("url").asText();
                check(url.endsWith("/anything/p-" + batch + "-" + k), "pipelined answer out of order: " + url);
            }
        } catch (Exception e) {
            pipelineSocket.close();
            pipelineSocket = null;
            throw e;
        }
        return 10;
    }

    private int upload(long i) throws Exception {
        SplittableRandom random = new SplittableRandom(i);
        int size = 16 * 1024 + random.nextInt(496 * 1024);
        byte[] body = new byte[size];
        for (int k = 0; k < size; k++) {
            body[k] = (byte) ('a' + random.nextInt(26));
        }
        HttpRequest req = HttpRequest.newBuilder(uri("/post")).timeout(TIMEOUT).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        check(r.statusCode() == 200, "/post status " + r.statusCode());
        check(JSON.readTree(r.body()).path("data").asText().equals(new String(body, StandardCharsets.US_ASCII)),
                "/post data differs (" + size + " bytes sent)");
        return 1;
    }

    private int download(long i) throws Exception {
        switch ((int) (i % 3)) {
            case 0 -> {
                HttpResponse<byte[]> r = get(uri("/stream/20"));
                check(r.statusCode() == 200, "/stream status " + r.statusCode());
                String[] lines = new String(r.body(), StandardCharsets.UTF_8).split("\n");
                check(lines.length == 20, "/stream lines " + lines.length);
                for (int k = 0; k < 20; k++) {
                    check(JSON.readTree(lines[k]).path("id").asInt(-1) == k, "/stream line " + k);
                }
            }
            case 1 -> {
                int seed = (int) (i % 8);
                HttpResponse<byte[]> r = get(uri("/stream-bytes/102400?seed=" + seed + "&chunk_size=4096"));
                check(r.statusCode() == 200, "/stream-bytes status " + r.statusCode());
                check(r.body().length == 102400, "/stream-bytes length " + r.body().length);
                String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body()));
                String first = streamBytesDigests.putIfAbsent(seed, digest);
                check(first == null || first.equals(digest), "/stream-bytes differs for seed " + seed);
            }
            default -> {
                int from = (int) (i % 50_000);
                HttpResponse<byte[]> r = get(uri("/range/102400"), "Range", "bytes=" + from + "-" + (from + 4095));
                check(r.statusCode() == 206, "/range status " + r.statusCode());
                byte[] b = r.body();
                check(b.length == 4096, "/range length " + b.length);
                for (int k = 0; k < b.length; k++) {
                    if (b[k] != 'a' + (from + k) % 26) {
                        throw new Mismatch("/range byte " + (from + k));
                    }
                }
            }
        }
        return 1;
    }

    /** Runs {@code op} on the WebSocket client's loop and waits for it. */
    private <T> T onLoop(Supplier<? extends CompletionStage<T>> op) throws Exception {
        CompletableFuture<T> f = wsLoop.supplyOrSubmit(op);
        return f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private int websocket(long i) throws Exception {
        WebSocketClientOptions options = WebSocketClientOptions.builder().compression(CompressionOptions.defaults()).build();
        WebSocketClientConnection ws = onLoop(() -> WebSocketClient.connect(
                URI.create("ws://127.0.0.1:" + port + "/websocket/echo"), options));
        try {
            String ext = ws.headers().get("Sec-WebSocket-Extensions");
            check(ext != null && ext.contains("permessage-deflate"), "permessage-deflate not negotiated: " + ext);
            SplittableRandom random = new SplittableRandom(i);
            for (int k = 0; k < 40; k++) {
                WebSocketMessage sent;
                if (k % 4 == 3) {
                    byte[] data = new byte[1 + random.nextInt(8192)];
                    random.nextBytes(data);
                    sent = WebSocketMessage.binary(data);
                } else {
                    sent = WebSocketMessage.text(("message " + i + "/" + k + " ").repeat(1 + random.nextInt(400)));
                }
                WebSocketMessage echo = onLoop(() -> ws.writeMessage(sent).thenCompose(v -> ws.readMessage()));
                check(echo != null, "websocket closed before echo " + k);
                check(echo.isText() == sent.isText() && Arrays.equals(echo.data(), sent.data()), "websocket echo " + k + " differs");
                Thread.sleep(5); // pacing, not synchronisation
            }
        } finally {
            wsLoop.addCallback(ws::close);
        }
        CompletableFuture<Void> closed = ws.closeFuture();
        closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        check(ws.closeCode() == 1000 || ws.closeCode() == 1005, "websocket close code " + ws.closeCode());
        return 40;
    }

    private int relay(long i) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relayPort + "/relay/" + i))
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        check(r.statusCode() == 200, "/relay status " + r.statusCode());
        check(JSON.readTree(r.body()).path("url").asText().endsWith("/anything/relay-" + i), "/relay url");
        return 1;
    }

    /** A bad request and the status the server must answer before closing. */
    private record Bad(String name, byte[] request, int status) {
        static Bad of(String name, String request, int status) {
            return new Bad(name, request.getBytes(StandardCharsets.ISO_8859_1), status);
        }
    }

    private static final List<Bad> BAD = List.of(
            Bad.of("bad Content-Length", "POST /post HTTP/1.1\r\nHost: soak\r\nContent-Length: abc\r\n\r\n", 400),
            Bad.of("control byte in target", "GET /get\u0001x HTTP/1.1\r\nHost: soak\r\n\r\n", 400),
            Bad.of("space in field name", "GET /get HTTP/1.1\r\nHost: soak\r\nBad Name: x\r\n\r\n", 400),
            Bad.of("70 KiB header", "GET /get HTTP/1.1\r\nHost: soak\r\nX-Big: " + "x".repeat(70 * 1024) + "\r\n\r\n", 431),
            Bad.of("CL with chunked", "POST /post HTTP/1.1\r\nHost: soak\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
            new Bad("TLS hello", new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03, '\r', '\n', '\r', '\n'}, 400));

    private int malformed(long i) throws Exception {
        Bad bad = BAD.get((int) (i % BAD.size()));
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write(bad.request());
            InputStream in = s.getInputStream();
            RawHttp r = RawHttp.read(in);
            check(r.status() == bad.status(), bad.name() + ": status " + r.status() + ", expected " + bad.status());
            check(in.read() == -1, bad.name() + ": connection left open");
        }
        return 1;
    }

    private Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout((int) TIMEOUT.toMillis());
        return s;
    }
}
