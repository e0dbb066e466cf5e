package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Request targets and versions the application sees, over real sockets (RFC 9112 section 3.2,
 * RFC 9110 sections 6.2 and 9.3.7): absolute-form, {@code OPTIONS *}, a higher HTTP/1 minor
 * version, Host values that are not a host.
 */
@Timeout(60)
class RequestTargetTest {
    public static final class Where extends RequestHandler {
        public void get() {
            write(request().host() + " " + request().path() + " " + request().query() + " " + request().version());
        }
    }

    private static TestServer server;

    @BeforeAll
    static void start() {
        // a catch-all route: "*" must not reach it
        server = TestServer.start(new Application(List.of(url("/.*", Where.class))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void absoluteFormGivesThePathAndQueryAndItsAuthorityReplacesHost() throws IOException {
        String answer = exchange("GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: other\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nexample.com:8080 /a/b c=d HTTP/1.1");
    }

    @Test
    void optionsAsteriskIsAnsweredByTheServerNotARoute() throws Exception {
        String answer = exchange("OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200 ").contains("\r\nAllow: GET, HEAD, POST, DELETE, PATCH, PUT, OPTIONS\r\n")
                .endsWith("\r\n\r\n");
        // curl as an independent client of the same question
        Process curl = new ProcessBuilder("curl", "-s", "-i", "-X", "OPTIONS", "--request-target", "*", server.url("/"))
                .redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).startsWith("HTTP/1.1 200").containsIgnoringCase("Allow: GET, HEAD, POST");
    }

    @Test
    void aHigherMinorVersionIsServedAsHttp11() throws IOException {
        String answer = exchange("GET /v HTTP/1.9\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith(" /v  HTTP/1.1");
    }

    @Test
    void aHostThatIsNotAHostIs400() throws IOException {
        for (String host : new String[] {"a:8x", "::1", "fe80::1:8080", "[::1]x"}) {
            String answer = exchange("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(host).startsWith("HTTP/1.1 400 ");
        }
        assertThat(exchange("GET / HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ").endsWith("[::1]:8080 /  HTTP/1.1");
    }

    /** Sends one request as raw bytes and reads the answer until the server closes. */
    private static String exchange(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
