package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.ioloop.IOLoop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/1.1 {@code Upgrade: h2c} path (RFC 7540 section 3.2) of a server with HTTP/2 on, with
 * independent clients that send it: curl {@code --http2} on an {@code http:} URL, the JDK
 * HttpClient (HTTP_2 on plain http), Python's h2 (Debian's python3-h2) driving the upgrade over a
 * raw socket; and the requests that must stay HTTP/1.1 (a body, a malformed, missing or repeated
 * {@code HTTP2-Settings}, {@code Connection} without {@code HTTP2-Settings}, HTTP/1.0), over raw
 * sockets. Fails, not skips, when a peer is missing.
 */
@Timeout(120)
class H2cUpgradeTest {
    static IOLoop loop;
    static HttpServer server;
    static HttpServer http1Only;
    static int port;
    @TempDir
    static Path dir;

    public static class Hello extends RequestHandler {
        public void get() {
            setHeader("Content-Type", "text/plain");
            write(request().version() + " " + request().host() + " " + getArgument("q", "-"));
        }
    }

    public static class Echo extends RequestHandler {
        public void post() {
            write(request().version() + " " + request().body().length + " " + new String(request().body(),
                    StandardCharsets.ISO_8859_1));
        }
    }

    public static class Big extends RequestHandler {
        public void get() {
            write(new byte[3 << 20]); // beyond every window: stream 1 is flow-controlled like any other
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Application app = new Application(List.of(Route.url("/hello", Hello.class), Route.url("/echo", Echo.class),
                Route.url("/big", Big.class)));
        loop = new IOLoop();
        loop.startInBackground();
        server = app.httpServer(HttpServerOptions.builder().http2(true).build());
        server.bind(0, "127.0.0.1");
        server.start(loop);
        port = server.boundPorts().get(0);
        http1Only = app.httpServer(HttpServerOptions.defaults());
        http1Only.bind(0, "127.0.0.1");
        http1Only.start(loop);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (http1Only != null) {
            http1Only.close();
        }
        if (loop != null) {
            loop.stop();
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    // -------------------------------------------------------------------------------- curl

    @Test
    void curlUpgradesAndReusesTheConnectionOverH2() throws Exception {
        Http2ServeTest.Run r = Http2ServeTest.run("curl", "-sS", "--http2", "-w", " %{http_version}\n",
                base() + "/hello?q=up1", base() + "/hello?q=up2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("HTTP/2 127.0.0.1:" + port + " up1 2\nHTTP/2 127.0.0.1:" + port + " up2 2\n");
    }

    @Test
    void curlUpgradeDownloadsALargeBodyOnStreamOne() throws Exception {
        Path out = dir.resolve("big");
        Http2ServeTest.Run r = Http2ServeTest.run("curl", "-sS", "--http2", "-o", out.toString(), "-w",
                "%{http_version} %{size_download}", base() + "/big");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("2 " + (3 << 20));
        assertThat(Files.readAllBytes(out)).containsOnly((byte) 0);
    }

    @Test
    void aRequestWithABodyIsServedOverHttp11() throws Exception {
        Http2ServeTest.Run r = Http2ServeTest.run("curl", "-sS", "--http2", "-H", "Content-Type: text/plain",
                "--data-binary", "payload", "-w", " %{http_version}", base() + "/echo");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("HTTP/1.1 7 payload 1.1");
    }

    @Test
    void withoutHttp2TheUpgradeIsIgnored() throws Exception {
        Http2ServeTest.Run r = Http2ServeTest.run("curl", "-sS", "--http2", "-w", " %{http_version}",
                "http://127.0.0.1:" + http1Only.boundPorts().get(0) + "/hello");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).endsWith(" - 1.1").startsWith("HTTP/1.1 ");
    }

    // -------------------------------------------------------------------------- JDK client

    @Test
    void jdkHttpClientUpgradesPlainHttp() throws Exception {
        try (HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            java.net.http.HttpResponse<String> r = c.send(
                    HttpRequest.newBuilder(URI.create(base() + "/hello?q=jdk")).build(), BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.body()).isEqualTo("HTTP/2 127.0.0.1:" + port + " jdk");
            // the upgraded connection carries the next requests as new streams
            for (int i = 0; i < 5; i++) {
                java.net.http.HttpResponse<String> n = c.send(
                        HttpRequest.newBuilder(URI.create(base() + "/hello?q=" + i)).build(), BodyHandlers.ofString());
                assertThat(n.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(n.body()).isEqualTo("HTTP/2 127.0.0.1:" + port + " " + i);
            }
        }
    }

    // ------------------------------------------------------------------------- python h2

    @Test
    void pythonH2DrivesTheUpgradeAndOpensStreamThree() throws Exception {
        String script = """
                import socket, sys
                import h2.connection, h2.config, h2.events, h2.settings
                port = int(sys.argv[1])
                c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
                value = c.initiate_upgrade_connection()
                s = socket.create_connection(('127.0.0.1', port))
                s.sendall(b'GET /hello?q=py HTTP/1.1\\r\\nHost: 127.0.0.1:%d\\r\\nConnection: Upgrade, HTTP2-Settings\\r\\n'
                          b'Upgrade: h2c\\r\\nHTTP2-Settings: %s\\r\\n\\r\\n' % (port, value))
                buf = b''
                while b'\\r\\n\\r\\n' not in buf:
                    chunk = s.recv(65536)
                    if not chunk:
                        raise SystemExit('closed before the 101')
                    buf += chunk
                head, rest = buf.split(b'\\r\\n\\r\\n', 1)
                print(head.split(b'\\r\\n')[0].decode())
                s.sendall(c.data_to_send())
                bodies = {}
                ended = set()
                connect = None
                pending = rest
                asked = False
                while not {1, 3} <= ended:
                    for e in c.receive_data(pending) if pending else []:
                        if isinstance(e, h2.events.ResponseReceived):
                            print('headers', e.stream_id, dict(e.headers)[b':status'].decode())
                        elif isinstance(e, h2.events.DataReceived):
                            bodies[e.stream_id] = bodies.get(e.stream_id, b'') + e.data
                            c.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
                        elif isinstance(e, h2.events.StreamEnded):
                            ended.add(e.stream_id)
                        elif isinstance(e, h2.events.RemoteSettingsChanged):
                            v = e.changed_settings.get(h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL)
                            if v is not None:
                                connect = v.new_value
                    if 1 in ended and not asked:
                        asked = True
                        c.send_headers(3, [(':method', 'GET'), (':scheme', 'http'),
                                           (':authority', '127.0.0.1:%d' % port), (':path', '/hello?q=three')],
                                       end_stream=True)
                    s.sendall(c.data_to_send())
                    if not {1, 3} <= ended:
                        pending = s.recv(65536)
                        if not pending:
                            raise SystemExit('closed early')
                print('1', bodies[1].decode())
                print('3', bodies[3].decode())
                print('connect', connect)
                """;
        Http2ServeTest.Run r = Http2ServeTest.run("/usr/bin/python3", "-c", script, Integer.toString(port));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().split("\n")).containsExactly(
                "HTTP/1.1 101 Switching Protocols",
                "headers 1 200",
                "headers 3 200",
                "1 HTTP/2 127.0.0.1:" + port + " py",
                "3 HTTP/2 127.0.0.1:" + port + " three",
                "connect 1");
    }

    // ------------------------------------------------------------------- stays HTTP/1.1

    @Test
    void malformedMissingOrRepeatedSettingsAreServedOverHttp11() throws Exception {
        String[] variants = {
            "HTTP2-Settings: !!notbase64\r\n",
            "HTTP2-Settings: AAMAAABk=\r\n",          // 6 octets would need 8 characters: bad padding
            "HTTP2-Settings: AAMAAAB\r\n",            // 5 octets: not a multiple of 6
            "HTTP2-Settings: AAIAAAAC\r\n",           // ENABLE_PUSH = 2
            "HTTP2-Settings: AASAAAAA\r\n",           // INITIAL_WINDOW_SIZE = 2^31
            "HTTP2-Settings: AAMAAABk\r\nHTTP2-Settings: AAMAAABk\r\n",
            "",
        };
        for (String settings : variants) {
            String response = exchange("GET /hello?q=raw HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings, close\r\n"
                    + "Upgrade: h2c\r\n" + settings + "\r\n");
            assertThat(response).as(settings).startsWith("HTTP/1.1 200 ").endsWith("HTTP/1.1 x raw");
        }
    }

    @Test
    void connectionMustListHttp2SettingsAndTheVersionBe11() throws Exception {
        String r = exchange("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, close\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABk\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 200 ").endsWith("HTTP/1.1 x -");
        r = exchange("GET /hello HTTP/1.0\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABk\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 200 ").endsWith("HTTP/1.0 x -");
    }

    @Test
    void aValidUpgradeOverARawSocketAnswers101ThenSettingsThenStreamOne() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            // HEAD (no body), the client's MAX_CONCURRENT_STREAMS and INITIAL_WINDOW_SIZE
            out.write(("HEAD /hello HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n").containsIgnoringCase("Upgrade: h2c");
            // the server's connection preface: a SETTINGS frame (type 4) on stream 0
            byte[] frame = in.readNBytes(9);
            assertThat(frame[3]).isEqualTo((byte) 4);
            assertThat(frame[4] & 1).as("not an ACK").isZero();
        }
    }

    /** Sends {@code request} on a new connection and reads until the server closes it. */
    private String exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
            matched = c == end[matched] ? matched + 1 : c == '\r' ? 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
