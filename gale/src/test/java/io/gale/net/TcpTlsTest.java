package io.gale.net;

import static io.gale.net.NetTesting.onLoop;
import static io.gale.net.NetTesting.startOnLoop;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.LoopGroup;
import io.gale.iostream.IOStream;
import io.gale.iostream.SslIOStream;
import io.gale.testing.TestCertificates;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TcpTlsTest {
    private static final TestCertificates CA = TestCertificates.create();
    private static final TestCertificates.Identity LOCALHOST = CA.issue("localhost", "localhost", "127.0.0.1");

    private final LoopGroup group = new LoopGroup(2);
    private final TcpClient client = new TcpClient();
    private TcpServer server;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        group.start();
        server = new TcpServer(new EchoHandler(), ServerOptions.builder().tls(LOCALHOST.sslContext()).build());
        port = server.bind(0, "127.0.0.1").start(group).boundPorts().get(0);
    }

    @AfterEach
    void tearDown() {
        server.stop(true);
        group.shutdownGracefully(Duration.ofSeconds(5));
    }

    private CompletableFuture<IOStream> connect(String host, ConnectOptions options) {
        IOLoop loop = group.next();
        return startOnLoop(loop, () -> client.connect(host, port, options.toBuilder().loop(loop).build()));
    }

    private static String echo(IOStream stream, String line) throws Exception {
        return startOnLoop(stream.loop(), () -> stream.write((line + "\n").getBytes(US_ASCII))
                .thenCompose(v -> stream.readUntil(EchoHandler.NL, 100)))
                .thenApply(b -> new String(b, US_ASCII))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void echoesOverTlsWithTheHostNameVerified() throws Exception {
        for (String host : new String[] {"localhost", "127.0.0.1"}) {
            IOStream stream = connect(host, ConnectOptions.builder().tls(CA.trustingContext()).build()).get(10, TimeUnit.SECONDS);
            try {
                assertThat(stream).isInstanceOf(SslIOStream.class);
                assertThat(echo(stream, "secret " + host)).isEqualTo("secret " + host + "\n");
            } finally {
                stream.close();
            }
        }
    }

    @Test
    void aCertificateForAnotherNameIsRejectedUnlessVerificationIsOff() throws Exception {
        ConnectOptions wrongName = ConnectOptions.builder().tls(CA.trustingContext()).serverName("other.example").build();
        assertThatThrownBy(() -> connect("127.0.0.1", wrongName).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("TLS handshake with 127.0.0.1:" + port + " failed");
        IOStream stream = connect("127.0.0.1", wrongName.toBuilder().verifyHostname(false).build()).get(10, TimeUnit.SECONDS);
        try {
            assertThat(echo(stream, "unverified")).isEqualTo("unverified\n");
        } finally {
            stream.close();
        }
    }

    @Test
    void anUntrustedServerIsRejected() throws Exception {
        TestCertificates otherCa = TestCertificates.create();
        assertThatThrownBy(() -> connect("localhost", ConnectOptions.builder().tls(otherCa.trustingContext()).build())
                .get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(SSLException.class);
    }

    @Test
    void aPlainTextClientIsDroppedWithoutHarmingTheServer() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", port)) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(US_ASCII));
            InputStream in = plain.getInputStream();
            while (in.read() != -1) {
                // the server may answer with an alert before closing
            }
        }
        for (IOLoop l : group.loops()) {
            onLoop(l, () -> null);
        }
        assertThat(server.connectionCount()).isZero();
        IOStream stream = connect("localhost", ConnectOptions.builder().tls(CA.trustingContext()).build()).get(10, TimeUnit.SECONDS);
        try {
            assertThat(echo(stream, "still fine")).isEqualTo("still fine\n");
        } finally {
            stream.close();
        }
    }
}
