package io.gale.httpclient;

import static io.gale.httpclient.ClientTesting.await;
import static io.gale.httpclient.ClientTesting.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gale.ioloop.IOLoop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against the JDK's own HTTP server (an independent implementation). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkServerTest {
    private HttpServer server;
    private HttpServer other;
    private ExecutorService executor;
    private IOLoop loop;
    private AsyncHttpClient client;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final Set<java.net.InetAddress> remoteAddresses = ConcurrentHashMap.newKeySet();
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private String base;
    private String otherBase;

    @BeforeEach
    void setUp() throws IOException {
        executor = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        other.setExecutor(executor);
        other.createContext("/", this::handle);
        other.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        otherBase = "http://127.0.0.1:" + other.getAddress().getPort();
        loop = ClientTesting.startLoop("jdk-server-test");
        client = new AsyncHttpClient(loop, ClientOptions.builder().maxClients(4).build());
    }

    @AfterEach
    void tearDown() {
        gate.countDown();
        client.close();
        server.stop(0);
        other.stop(0);
        executor.shutdownNow();
        loop.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        clientPorts.add(ex.getRemoteAddress().getPort());
        remoteAddresses.add(ex.getRemoteAddress().getAddress());
        String path = ex.getRequestURI().getPath();
        byte[] reqBody = ex.getRequestBody().readAllBytes();
        log.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " auth=" + ex.getRequestHeaders().getFirst("Authorization")
                + " cookie=" + ex.getRequestHeaders().getFirst("Cookie") + " body=" + new String(reqBody, StandardCharsets.UTF_8));
        try {
            switch (path) {
                case "/hello" -> send(ex, 200, "text/plain; charset=utf-8", "hello, world".getBytes(StandardCharsets.UTF_8));
                case "/latin1" -> send(ex, 200, "text/plain; charset=ISO-8859-1", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
                case "/json" -> send(ex, 200, "application/json", "{\"name\":\"gale\",\"n\":3}".getBytes(StandardCharsets.UTF_8));
                case "/echo" -> {
                    ex.getResponseHeaders().add("X-Method", ex.getRequestMethod());
                    ex.getResponseHeaders().add("X-Content-Type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
                    ex.getResponseHeaders().add("X-Transfer-Encoding", String.valueOf(ex.getRequestHeaders().getFirst("Transfer-Encoding")));
                    send(ex, 200, "application/octet-stream", reqBody);
                }
                case "/headers" -> {
                    StringBuilder sb = new StringBuilder();
                    ex.getRequestHeaders().forEach((k, v) -> sb.append(k.toLowerCase()).append('=').append(v.get(0)).append('\n'));
                    send(ex, 200, "text/plain", sb.toString().getBytes(StandardCharsets.UTF_8));
                }
                case "/chunked" -> {
                    ex.sendResponseHeaders(200, 0); // length 0: chunked
                    try (OutputStream out = ex.getResponseBody()) {
                        for (int i = 0; i < 100; i++) {
                            out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                }
                case "/gzip" -> {
                    ByteArrayOutputStream bo = new ByteArrayOutputStream();
                    try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
                        for (int i = 0; i < 1000; i++) {
                            gz.write(("compressible line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    ex.getResponseHeaders().add("Content-Encoding", "gzip");
                    ex.getResponseHeaders().add("X-Accept-Encoding", String.valueOf(ex.getRequestHeaders().getFirst("Accept-Encoding")));
                    send(ex, 200, "text/plain", bo.toByteArray());
                }
                case "/status/404" -> send(ex, 404, "text/plain", "nope".getBytes(StandardCharsets.US_ASCII));
                case "/status/204" -> {
                    ex.sendResponseHeaders(204, -1);
                    ex.close();
                }
                case "/digest" -> {
                    String auth = ex.getRequestHeaders().getFirst("Authorization");
                    if (auth != null && digestValid(auth, ex.getRequestMethod())) {
                        send(ex, 200, "text/plain", "digest ok".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        ex.getResponseHeaders().add("WWW-Authenticate",
                                "Digest realm=\"gale test\", qop=\"auth,auth-int\", nonce=\"n0nce\", opaque=\"0paque\"");
                        send(ex, 401, "text/plain", "who are you".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                case "/slow" -> {
                    awaitGate(gate);
                    send(ex, 200, "text/plain", "slow".getBytes(StandardCharsets.US_ASCII));
                }
                default -> {
                    if (path.startsWith("/redirect/")) {
                        // /redirect/<code>?to=<url>
                        String[] parts = path.split("/");
                        String to = ex.getRequestURI().getQuery().substring(3);
                        ex.getResponseHeaders().add("Location", to);
                        send(ex, Integer.parseInt(parts[2]), "text/plain", "moved".getBytes(StandardCharsets.US_ASCII));
                    } else if (path.equals("/loop")) {
                        ex.getResponseHeaders().add("Location", "/loop");
                        send(ex, 302, "text/plain", new byte[0]);
                    } else {
                        send(ex, 404, "text/plain", new byte[0]);
                    }
                }
            }
        } finally {
            ex.close();
        }
    }

    /** The server side of RFC 7616 (MD5, qop=auth), written independently of the client's. */
    private static boolean digestValid(String header, String method) {
        java.util.Map<String, String> p = new java.util.HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))").matcher(header);
        while (m.find()) {
            p.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        String ha1 = md5("mufasa:gale test:Circle of Life");
        String ha2 = md5(method + ":" + p.get("uri"));
        String expected = md5(ha1 + ":n0nce:" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        return header.startsWith("Digest ") && "mufasa".equals(p.get("username")) && "0paque".equals(p.get("opaque"))
                && "/digest".equals(p.get("uri")) && expected.equals(p.get("response"));
    }

    private static String md5(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitGate(CountDownLatch l) {
        try {
            l.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(base + path);
    }

    @Test
    void getTextJsonAndTiming() {
        HttpResponse r = await(client.fetch(base + "/hello"));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.reason()).isEqualTo("OK");
        assertThat(r.text()).isEqualTo("hello, world");
        assertThat(r.effectiveUrl()).isEqualTo(base + "/hello");
        assertThat(r.timing().total()).isPositive();
        assertThat(r.timing().connect()).isPositive();
        assertThat(r.timing().firstByte()).isLessThanOrEqualTo(r.timing().total());
        assertThat(await(client.fetch(base + "/latin1")).text()).isEqualTo("caf\u00e9");
        HttpResponse j = await(client.fetch(base + "/json"));
        assertThat(j.json().get("name").asText()).isEqualTo("gale");
        assertThat(j.json(java.util.Map.class)).containsEntry("n", 3);
    }

    @Test
    void sendsDefaultHeadersAndBasicAuth() {
        HttpResponse r = await(client.fetch(req("/headers").basicAuth("user", "pa:ss").build()));
        assertThat(r.text()).contains("user-agent=Gale/0.1", "accept-encoding=gzip",
                "host=127.0.0.1:" + server.getAddress().getPort(),
                "authorization=Basic " + java.util.Base64.getEncoder().encodeToString("user:pa:ss".getBytes()));
        HttpResponse u = await(client.fetch("http://bob:secret@127.0.0.1:" + server.getAddress().getPort() + "/headers"));
        assertThat(u.text()).contains("authorization=Basic " + java.util.Base64.getEncoder().encodeToString("bob:secret".getBytes()));
    }

    @Test
    void digestAuthAnswersTheChallengeOnce() {
        HttpResponse r = await(client.fetch(req("/digest").digestAuth("mufasa", "Circle of Life").build()));
        assertThat(r.text()).isEqualTo("digest ok");
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).contains("auth=null");
        log.clear();
        HttpClientException e = (HttpClientException) failure(client.fetch(req("/digest").digestAuth("mufasa", "wrong").build()));
        assertThat(e.code()).isEqualTo(401);
        assertThat(log).hasSize(2);
    }

    @Test
    void postBodyAndFormDefault() {
        HttpResponse r = await(client.fetch(req("/echo").method("POST").body("a=1&b=2").build()));
        assertThat(r.text()).isEqualTo("a=1&b=2");
        assertThat(r.headers().get("X-Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void bodyProducerStreamsChunked() {
        BodyProducer producer = w -> w.write("part1,".getBytes()).thenCompose(v -> w.write(ByteBuffer.wrap("part2".getBytes())));
        HttpResponse r = await(client.fetch(req("/echo").method("PUT").bodyProducer(producer).build()));
        assertThat(r.text()).isEqualTo("part1,part2");
        assertThat(r.headers().get("X-Transfer-Encoding")).isEqualTo("chunked");
    }

    @Test
    void expect100ContinueSendsTheBody() {
        HttpResponse r = await(client.fetch(req("/echo").method("POST").body("continued").expect100Continue(true).build()));
        assertThat(r.text()).isEqualTo("continued");
    }

    @Test
    void chunkedResponseIsReassembled() {
        HttpResponse r = await(client.fetch(base + "/chunked"));
        String[] lines = r.text().split("\n");
        assertThat(lines).hasSize(100);
        assertThat(lines[99]).isEqualTo("line 99");
    }

    @Test
    void gzipIsDecompressedAndHeaderRenamed() {
        HttpResponse r = await(client.fetch(base + "/gzip"));
        assertThat(r.headers().get("X-Accept-Encoding")).isEqualTo("gzip");
        assertThat(r.headers().get("Content-Encoding")).isNull();
        assertThat(r.headers().get("X-Consumed-Content-Encoding")).isEqualTo("gzip");
        assertThat(r.text().split("\n")).hasSize(1000).endsWith("compressible line 999");
        HttpResponse raw = await(client.fetch(req("/gzip").decompressResponse(false).header("Accept-Encoding", "gzip").build()));
        assertThat(raw.headers().get("Content-Encoding")).isEqualTo("gzip");
        assertThat(raw.body()[0] & 0xFF).isEqualTo(0x1f);
    }

    @Test
    void decompressedSizeIsLimited() {
        HttpClientException e = (HttpClientException) failure(client.fetch(req("/gzip").maxBodySize(10_000).build()));
        assertThat(e.code()).isEqualTo(599);
        assertThat(e.getMessage()).contains("maxBodySize", "after decompression");
    }

    @Test
    void nonSuccessRaisesUnlessRaiseErrorFalse() {
        HttpClientException e = (HttpClientException) failure(client.fetch(base + "/status/404"));
        assertThat(e.code()).isEqualTo(404);
        assertThat(e.response().text()).isEqualTo("nope");
        HttpResponse r = await(client.fetch(req("/status/404").raiseError(false).build()));
        assertThat(r.code()).isEqualTo(404);
        assertThat(r.error()).isNotNull();
        assertThat(await(client.fetch(base + "/status/204")).body()).isEmpty();
    }

    @Test
    void methodAndBodyRules() {
        assertThat(failure(client.fetch(req("/echo").method("POST").build()))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(client.fetch(req("/echo").body("x").build()))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(client.fetch(req("/echo").method("BREW").build()))).isInstanceOf(IllegalArgumentException.class);
        HttpResponse r = await(client.fetch(req("/echo").method("BREW").body("tea").allowNonstandardMethods(true).build()));
        assertThat(r.headers().get("X-Method")).isEqualTo("BREW");
    }

    @Test
    void redirect303And302PostBecomeGetWithoutBody() {
        for (int code : new int[] {301, 302, 303}) {
            log.clear();
            HttpResponse r = await(client.fetch(req("/redirect/" + code + "?to=/echo").method("POST").body("data")
                    .header("Content-Type", "text/plain").build()));
            assertThat(r.headers().get("X-Method")).isEqualTo("GET");
            assertThat(r.body()).isEmpty();
            assertThat(r.effectiveUrl()).isEqualTo(base + "/echo");
            assertThat(log).hasSize(2);
            assertThat(log.get(1)).startsWith("GET /echo").endsWith("body=");
        }
    }

    @Test
    void redirect307And308KeepMethodAndBody() {
        for (int code : new int[] {307, 308}) {
            HttpResponse r = await(client.fetch(req("/redirect/" + code + "?to=/echo").method("POST").body("keep me").build()));
            assertThat(r.headers().get("X-Method")).isEqualTo("POST");
            assertThat(r.text()).isEqualTo("keep me");
        }
        // 303 after PUT is GET too; 301 after PUT keeps PUT
        assertThat(await(client.fetch(req("/redirect/303?to=/echo").method("PUT").body("x").build())).headers().get("X-Method"))
                .isEqualTo("GET");
        assertThat(await(client.fetch(req("/redirect/301?to=/echo").method("PUT").body("x").build())).text()).isEqualTo("x");
    }

    @Test
    void crossOriginRedirectDropsCredentialsSameOriginKeepsThem() {
        await(client.fetch(req("/redirect/302?to=" + otherBase + "/hello").basicAuth("u", "p").header("Cookie", "s=1").build()));
        assertThat(log.get(0)).contains("auth=Basic", "cookie=s=1");
        assertThat(log.get(1)).startsWith("GET /hello").contains("auth=null", "cookie=null");
        log.clear();
        await(client.fetch(req("/redirect/302?to=/hello").basicAuth("u", "p").header("Cookie", "s=1").build()));
        assertThat(log.get(1)).contains("auth=Basic", "cookie=s=1");
    }

    @Test
    void redirectLimitAndNoFollow() {
        HttpClientException e = (HttpClientException) failure(client.fetch(req("/loop").maxRedirects(3).build()));
        assertThat(e.code()).isEqualTo(302);
        assertThat(log).hasSize(4);
        HttpResponse r = await(client.fetch(req("/redirect/301?to=/hello").followRedirects(false).raiseError(false).build()));
        assertThat(r.code()).isEqualTo(301);
        assertThat(r.headers().get("Location")).isEqualTo("/hello");
    }

    @Test
    void streamingAndHeaderCallbacksSeeOnlyTheFinalResponse() {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<Integer> heads = new ArrayList<>();
        HttpResponse r = await(client.fetch(req("/redirect/302?to=/chunked")
                .streamingCallback(b -> {
                    byte[] a = new byte[b.remaining()];
                    b.get(a);
                    got.writeBytes(a);
                })
                .headerCallback((code, reason, headers) -> heads.add(code)).build()));
        assertThat(r.body()).isEmpty();
        assertThat(heads).containsExactly(200);
        assertThat(got.toString(StandardCharsets.US_ASCII)).startsWith("line 0\n").endsWith("line 99\n");
    }

    @Test
    void keepAliveConnectionsAreReused() {
        for (int i = 0; i < 20; i++) {
            assertThat(await(client.fetch(base + "/hello")).code()).isEqualTo(200);
        }
        assertThat(clientPorts).hasSize(1);
        HttpResponse second = await(client.fetch(base + "/hello"));
        assertThat(second.timing().connect()).isZero();
    }

    @Test
    void requestsQueueAtMaxClients() throws Exception {
        gate = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse>> fs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            fs.add(client.fetch(base + "/slow"));
        }
        ClientTesting.awaitOnLoop(loop, () -> client.pool().openConnections() == 4 && client.pool().queued() == 3,
                "4 busy connections and 3 queued requests");
        gate.countDown();
        for (CompletableFuture<HttpResponse> f : fs) {
            assertThat(await(f).text()).isEqualTo("slow");
        }
        assertThat(clientPorts).hasSize(4);
        assertThat(await(fs.get(6)).timing().queue()).isPositive();
    }

    @Test
    void queuedRequestTimesOut() throws Exception {
        gate = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse>> busy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            busy.add(client.fetch(base + "/slow"));
        }
        ClientTesting.awaitOnLoop(loop, () -> client.pool().openConnections() == 4, "4 busy connections");
        HttpClientException e = (HttpClientException) failure(client.fetch(req("/hello")
                .connectTimeout(java.time.Duration.ofMillis(100)).build()));
        assertThat(e.isTimeout()).isTrue();
        assertThat(e.getMessage()).contains("Timeout in request queue");
        gate.countDown();
        for (CompletableFuture<HttpResponse> f : busy) {
            await(f);
        }
    }

    @Test
    void blockingClientFromAPlainThread() {
        try (HttpClient http = new HttpClient()) {
            assertThat(http.fetch(base + "/hello").text()).isEqualTo("hello, world");
            assertThatThrownBy(() -> http.fetch(base + "/status/404")).isInstanceOf(HttpClientException.class)
                    .extracting(t -> ((HttpClientException) t).code()).isEqualTo(404);
        }
    }

    @Test
    void sourceAddressAndClosedClient() throws Exception {
        java.net.InetAddress source = java.net.InetAddress.getByName("127.0.0.2");
        HttpResponse r = await(client.fetch(req("/headers").networkInterface(source).build()));
        assertThat(r.code()).isEqualTo(200);
        assertThat(remoteAddresses).contains(source);
        client.close();
        assertThat(failure(client.fetch(base + "/hello"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fetchFromACoroutine() {
        CompletableFuture<String> f = io.gale.concurrent.Coroutines.spawn(loop,
                () -> io.gale.concurrent.Coroutines.await(client.fetch(base + "/hello")).text());
        assertThat(await(f)).isEqualTo("hello, world");
    }
}
