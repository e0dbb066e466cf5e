package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.ioloop.IOLoop;
import io.gale.testing.TestCertificates;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OkHttp (an independent HTTP/2 implementation: its own framing, HPACK and flow control) against
 * Gale's server, over h2 negotiated by ALPN on TLS and over h2c with prior knowledge
 * ({@link Protocol#H2_PRIOR_KNOWLEDGE}): GET, POST with a body, 40 concurrent requests
 * multiplexed on one connection, and a 5 MiB response that needs many WINDOW_UPDATEs (OkHttp's
 * stream window is 16 MiB, Gale's send window follows the client's updates).
 */
@Timeout(120)
class OkHttpInteropTest {
    private static final TestCertificates CA = TestCertificates.create();
    private static final TestCertificates.Identity LOCALHOST = CA.issue("localhost", "localhost", "127.0.0.1");

    static IOLoop loop;
    static HttpServer plain;
    static HttpServer tls;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < Http2ServeTest.BIG.length; i++) {
            Http2ServeTest.BIG[i] = (byte) (i * 31 + (i >> 13));
        }
        Application app = new Application(List.of(Route.url("/hello", Http2ServeTest.Hello.class),
                Route.url("/echo", Http2ServeTest.Echo.class), Route.url("/big", Http2ServeTest.Big.class)));
        loop = new IOLoop();
        loop.startInBackground();
        plain = app.httpServer(HttpServerOptions.builder().http2(true).build());
        plain.bind(0, "127.0.0.1");
        plain.start(loop);
        tls = app.httpServer(HttpServerOptions.builder().http2(true).tls(LOCALHOST.sslContext()).build());
        tls.bind(0, "127.0.0.1");
        tls.start(loop);
    }

    @AfterAll
    static void stop() {
        if (plain != null) {
            plain.close();
        }
        if (tls != null) {
            tls.close();
        }
        if (loop != null) {
            loop.stop();
        }
    }

    static OkHttpClient h2cClient() {
        return new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
                .connectionPool(new ConnectionPool()).dispatcher(dispatcher()).build();
    }

    static OkHttpClient h2Client() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("ca", CA.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
        return new OkHttpClient.Builder().protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
                .sslSocketFactory(ctx.getSocketFactory(), tm).connectionPool(new ConnectionPool())
                .dispatcher(dispatcher()).build();
    }

    private static Dispatcher dispatcher() {
        Dispatcher d = new Dispatcher();
        d.setMaxRequestsPerHost(64); // let every request of the concurrency test be in flight at once
        return d;
    }

    static void shutdown(OkHttpClient c) {
        c.dispatcher().executorService().shutdown();
        c.connectionPool().evictAll();
    }

    @Test
    void h2cPriorKnowledge() throws Exception {
        OkHttpClient c = h2cClient();
        try {
            exercise(c, "http://127.0.0.1:" + plain.boundPorts().get(0), plain, "http");
        } finally {
            shutdown(c);
        }
    }

    @Test
    void h2ByAlpnOverTls() throws Exception {
        OkHttpClient c = h2Client();
        try {
            exercise(c, "https://localhost:" + tls.boundPorts().get(0), tls, "https");
        } finally {
            shutdown(c);
        }
    }

    private void exercise(OkHttpClient c, String base, HttpServer server, String scheme) throws Exception {
        String authority = base.substring(base.indexOf("//") + 2);
        try (Response r = c.newCall(new Request.Builder().url(base + "/hello?q=ok").build()).execute()) {
            assertThat(r.protocol()).isIn(Protocol.HTTP_2, Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).isEqualTo("HTTP/2 " + authority + " " + scheme + " ok");
        }
        byte[] up = java.util.Arrays.copyOf(Http2ServeTest.BIG, 1 << 20);
        try (Response r = c.newCall(new Request.Builder().url(base + "/echo")
                .post(RequestBody.create(up, MediaType.get("application/octet-stream"))).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("X-Length")).isEqualTo(Integer.toString(up.length));
            assertThat(r.body().bytes()).isEqualTo(up);
        }
        // 40 requests at once: one connection, streams multiplexed
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            CompletableFuture<String> f = new CompletableFuture<>();
            all.add(f);
            c.newCall(new Request.Builder().url(base + "/hello?q=" + i).build()).enqueue(new Callback() {
                @Override
                public void onFailure(Call call, java.io.IOException e) {
                    f.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call call, Response response) throws java.io.IOException {
                    try (response) {
                        f.complete(response.protocol() + " " + response.body().string());
                    }
                }
            });
        }
        for (int i = 0; i < 40; i++) {
            assertThat(all.get(i).get(30, TimeUnit.SECONDS)).endsWith("HTTP/2 " + authority + " " + scheme + " " + i)
                    .doesNotStartWith("http/1.1");
        }
        assertThat(c.connectionPool().connectionCount()).as("one connection for everything").isEqualTo(1);
        assertThat(server.connectionCount()).isEqualTo(1);
        try (Response r = c.newCall(new Request.Builder().url(base + "/big").build()).execute()) {
            assertThat(r.body().bytes()).isEqualTo(Http2ServeTest.BIG);
        }
        try (Response r = c.newCall(new Request.Builder().url(base + "/hello").head().build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("content-length")).isNotNull();
        }
    }
}
