package io.gale.httpclient;

import static io.gale.httpclient.ClientTesting.await;
import static io.gale.httpclient.ClientTesting.failure;
import static io.gale.httpclient.ScriptedServer.readHead;
import static io.gale.httpclient.ScriptedServer.serveKeepAlive;
import static io.gale.httpclient.ScriptedServer.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.IOLoop;
import io.gale.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** https with a CA made in the test, host name verification, and HTTP proxies (plain and CONNECT). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsAndProxyTest {
    private static final TestCertificates CA = TestCertificates.create();

    private IOLoop loop;
    private AsyncHttpClient client;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<String> proxyLog = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        loop = ClientTesting.startLoop("tls-proxy-test");
        client = new AsyncHttpClient(loop);
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
        loop.close();
    }

    private ScriptedServer tlsServer(String... names) throws IOException {
        SSLContext ctx = CA.issue(names[0], names).sslContext();
        ScriptedServer s = new ScriptedServer(ctx, (sock, i) -> serveKeepAlive(sock, "secure"));
        closeables.add(s);
        return s;
    }

    @Test
    void httpsWithTheTestCaAndReuse() throws Exception {
        ScriptedServer s = tlsServer("localhost", "localhost", "127.0.0.1");
        HttpRequest req = HttpRequest.newBuilder("https://127.0.0.1:" + s.port() + "/").sslContext(CA.trustingContext()).build();
        HttpResponse r = await(client.fetch(req));
        assertThat(r.text()).isEqualTo("secure");
        assertThat(r.timing().tls()).isPositive();
        HttpResponse again = await(client.fetch(req));
        assertThat(again.timing().tls()).isZero();
        assertThat(s.accepted()).isEqualTo(1);
    }

    @Test
    void hostnameMismatchFailsAndValidateCertFalseAccepts() throws Exception {
        ScriptedServer s = tlsServer("other.example", "other.example");
        String url = "https://127.0.0.1:" + s.port() + "/";
        HttpClientException e = (HttpClientException) failure(client.fetch(HttpRequest.newBuilder(url)
                .sslContext(CA.trustingContext()).build()));
        assertThat(e.code()).isEqualTo(599);
        assertThat(e.getCause()).isInstanceOf(SSLException.class);
        assertThat(await(client.fetch(HttpRequest.newBuilder(url).validateCert(false).build())).text()).isEqualTo("secure");
    }

    @Test
    void untrustedCertificateFails() throws Exception {
        ScriptedServer s = tlsServer("localhost", "localhost", "127.0.0.1");
        HttpClientException e = (HttpClientException) failure(client.fetch("https://127.0.0.1:" + s.port() + "/"));
        assertThat(e.getCause()).isInstanceOf(SSLException.class);
    }

    /** A CONNECT proxy: checks Proxy-Authorization, then relays bytes both ways; plain requests are answered itself. */
    private ScriptedServer proxy(String requiredAuth) throws IOException {
        ScriptedServer p = new ScriptedServer((sock, i) -> {
            String head = readHead(sock.getInputStream());
            proxyLog.add(head.lines().findFirst().orElse(""));
            if (requiredAuth != null && !head.contains("Proxy-Authorization: " + requiredAuth)) {
                write(sock, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
                return;
            }
            String[] line = head.split("\r\n")[0].split(" ");
            if (!line[0].equals("CONNECT")) {
                String body = head.split("\r\n")[0];
                write(sock, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
                sock.getInputStream().read();
                return;
            }
            String[] hp = line[1].split(":");
            try (Socket upstream = new Socket(hp[0], Integer.parseInt(hp[1]))) {
                write(sock, "HTTP/1.1 200 Connection established\r\n\r\n");
                Thread up = Thread.ofVirtual().start(() -> pipe(sock, upstream));
                pipe(upstream, sock);
                up.join();
            }
        });
        closeables.add(p);
        return p;
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] b = new byte[8192];
            int n;
            while ((n = in.read(b)) > 0) {
                out.write(b, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    @Test
    void httpsThroughAConnectProxyWithAuth() throws Exception {
        ScriptedServer s = tlsServer("localhost", "localhost", "127.0.0.1");
        String auth = "Basic " + Base64.getEncoder().encodeToString("pu:pp".getBytes());
        ScriptedServer p = proxy(auth);
        HttpResponse r = await(client.fetch(HttpRequest.newBuilder("https://localhost:" + s.port() + "/x")
                .sslContext(CA.trustingContext()).proxy("127.0.0.1", p.port()).proxyAuth("pu", "pp").allowIpv6(false).build()));
        assertThat(r.text()).isEqualTo("secure");
        assertThat(proxyLog).containsExactly("CONNECT localhost:" + s.port() + " HTTP/1.1");
    }

    @Test
    void proxyRefusalIsAClearError() throws Exception {
        ScriptedServer p = proxy("Basic nope");
        HttpClientException e = (HttpClientException) failure(client.fetch(HttpRequest.newBuilder("https://localhost:1/")
                .proxy("127.0.0.1", p.port()).build()));
        assertThat(e.getMessage()).contains("refused CONNECT", "407");
    }

    @Test
    void plainHttpThroughAProxyUsesTheAbsoluteUrl() throws Exception {
        ScriptedServer p = proxy("Basic " + Base64.getEncoder().encodeToString("a:b".getBytes()));
        HttpResponse r = await(client.fetch(HttpRequest.newBuilder("http://example.invalid:8080/path?q=1")
                .proxy("127.0.0.1", p.port()).proxyAuth("a", "b").build()));
        assertThat(r.text()).isEqualTo("GET http://example.invalid:8080/path?q=1 HTTP/1.1");
    }
}
