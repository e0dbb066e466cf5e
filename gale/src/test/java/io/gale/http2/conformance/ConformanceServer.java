package io.gale.http2.conformance;

import io.gale.http.HttpServerOptions;
import io.gale.testing.TestCertificates;
import io.gale.testing.TestServer;
import io.gale.web.Application;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every conformance class shares: a Gale {@link Application} served with HTTP/2 on, on two
 * servers started once per class (h2c with prior knowledge on a plain port beside HTTP/1.1, and h2
 * by ALPN on a TLS port, which the {@code ...TlsTest} variants use), and the
 * peers a case opens, closed after it. After every case a fresh connection must still be served a
 * {@code 200}: whatever a case did to its own connection, the server and its other connections
 * are unaffected.
 *
 * <p>The application answers h2spec's requests on {@code /}: GET and HEAD with {@link #BODY}
 * (longer than the 5 octets the flow-control cases need), POST with a short text after reading
 * the body; {@code /big} a body of {@link #BIG_LENGTH} octets; {@code /bighead} a response head
 * larger than one frame; {@code /cookie} the Cookie field.
 */
abstract class ConformanceServer {
    static final String BODY = "h2spec-style conformance: a response body of some length\n";
    /** Length of the body of {@code /big}: several frames, more than the protocol's initial windows. */
    static final int BIG_LENGTH = 200_000;
    /** Length of the x-big field value of {@code /bighead}'s response. */
    static final int BIG_HEAD_VALUE = 20_000;

    private static final TestCertificates CA = TestCertificates.create();
    private static final TestCertificates.Identity LOCALHOST = CA.issue("localhost", "localhost", "127.0.0.1");

    private static TestServer server;
    private static TestServer tlsServer;
    private final List<H2Peer> peers = new ArrayList<>();

    /**
     * Whether this class runs its cases over TLS (h2 by ALPN) instead of h2c with prior knowledge:
     * the TLS variants of the classes override it.
     */
    boolean tls() {
        return false;
    }

    public static class Root extends RequestHandler {
        public void get() {
            setHeader("Content-Type", "text/plain");
            write(BODY);
        }

        public void head() {
            setHeader("Content-Type", "text/plain");
        }

        public void post() {
            setHeader("Content-Type", "text/plain");
            write("received " + request().body().length + " octets\n");
        }
    }

    public static class Big extends RequestHandler {
        public void get() {
            setHeader("Content-Type", "application/octet-stream");
            write(new byte[BIG_LENGTH]);
        }
    }

    /** A response head of about 20 KB: more than one frame of SETTINGS_MAX_FRAME_SIZE 16384. */
    public static class BigHead extends RequestHandler {
        public void get() {
            setHeader("X-Big", "v".repeat(BIG_HEAD_VALUE));
            write("ok");
        }
    }

    /** Echoes the Cookie field the handler sees (crumbs joined, RFC 9113 section 8.2.3). */
    public static class Cookie extends RequestHandler {
        public void get() {
            setHeader("Content-Type", "text/plain");
            write(String.valueOf(request().headers().get("Cookie")));
        }
    }

    @BeforeAll
    static void startServer() {
        Application app = new Application(List.of(Route.url("/", Root.class), Route.url("/big", Big.class),
            Route.url("/cookie", Cookie.class), Route.url("/bighead", BigHead.class)));
        server = TestServer.start(app, HttpServerOptions.builder().http2(true).build());
        tlsServer = TestServer.start(app, HttpServerOptions.builder().http2(true).tls(LOCALHOST.sslContext()).build());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (tlsServer != null) {
            tlsServer.close();
            tlsServer = null;
        }
    }

    @AfterEach
    void closePeersAndCheckTheServerStillServes() throws IOException {
        for (H2Peer p : peers) {
            p.close();
        }
        peers.clear();
        try (H2Peer p = H2Peer.handshaken(port(), trust())) {
            p.headers(1, true, p.get());
            p.expectStatus(1, "200");
            p.expectStreamEnd(1);
        }
    }

    /** A connection that has sent nothing yet. */
    H2Peer connect() throws IOException {
        H2Peer p = H2Peer.connect(port(), trust());
        peers.add(p);
        return p;
    }

    private int port() {
        return tls() ? tlsServer.port() : server.port();
    }

    private SSLContext trust() {
        return tls() ? CA.trustingContext() : null;
    }

    /** A connection after the preface and SETTINGS exchange (h2spec's handshake). */
    H2Peer handshaken() throws IOException {
        H2Peer p = connect();
        p.handshake();
        return p;
    }
}
