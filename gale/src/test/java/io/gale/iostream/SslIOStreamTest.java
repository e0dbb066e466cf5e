package io.gale.iostream;

import static io.gale.iostream.Loops.await;
import static io.gale.iostream.Loops.awaitState;
import static io.gale.iostream.Loops.call;
import static io.gale.iostream.Loops.failure;
import static io.gale.iostream.Loops.on;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.IOLoop;
import io.gale.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SslIOStream against itself, the JDK's SSLSocket and openssl, with certificates made at run time. */
@Timeout(60)
class SslIOStreamTest {
    private static TestCertificates ca;
    private static TestCertificates.Identity serverId;
    private static TestCertificates.Identity clientId;

    private IOLoop loop;
    private ServerSocketChannel acceptor;
    private IOStream client;
    private IOStream server;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.create();
        serverId = ca.issue("localhost", "localhost", "127.0.0.1");
        clientId = ca.issue("gale-client");
    }

    @BeforeEach
    void setUp() throws IOException {
        loop = Loops.startLoop("tls-test");
        acceptor = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        acceptor.close();
        loop.close();
    }

    /** Connects a TLS client to a TLS server, both SslIOStreams on the loop; returns after accept. */
    private CompletableFuture<SslIOStream> pair(SSLContext clientCtx, TlsOptions clientTls, SSLContext serverCtx,
            TlsOptions serverTls) throws IOException {
        CompletableFuture<SslIOStream> c = SslIOStream.connect(loop, acceptor.getLocalAddress(), clientCtx, clientTls,
                IOStreamOptions.defaults());
        SocketChannel accepted = acceptor.accept();
        SslIOStream s = call(loop, () -> new SslIOStream(loop, accepted, serverCtx, serverTls, IOStreamOptions.defaults()));
        server = s;
        return c;
    }

    private static String str(byte[] b) {
        return new String(b, ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void handshakeAndEcho(String version) throws IOException {
        SslIOStream c = await(pair(ca.trustingContext(), TlsOptions.client("localhost").toBuilder().protocols(version).build(),
                serverId.sslContext(), TlsOptions.server()));
        client = c;
        SslIOStream s = (SslIOStream) server;
        await(on(loop, s::handshake));
        assertThat(call(loop, () -> c.session().getProtocol())).isEqualTo(version);
        CompletableFuture<byte[]> echoed = on(loop, () -> {
            s.readUntil(new byte[] {'\n'}, 1000).thenCompose(line -> s.write(line));
            c.write("hello tls\n".getBytes(ISO_8859_1));
            return c.readUntil(new byte[] {'\n'}, 1000);
        });
        assertThat(str(await(echoed))).isEqualTo("hello tls\n");
        // close_notify reaches the peer as a clean EOF
        CompletableFuture<byte[]> rest = on(loop, s::readUntilClose);
        call(loop, () -> {
            c.close();
            return null;
        });
        assertThat(await(rest)).isEmpty();
    }

    @Test
    void hundredMegabytesOverTlsWithChecksum() throws IOException {
        SslIOStream c = await(pair(ca.trustingContext(), TlsOptions.client("localhost"), serverId.sslContext(),
                TlsOptions.server()));
        client = c;
        IOStream s = server;
        long total = 100L * 1024 * 1024;
        int chunk = 64 * 1024;
        CRC32 sentCrc = new CRC32();
        CRC32 gotCrc = new CRC32();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        CompletableFuture<Void> received = new CompletableFuture<>();
        Random r = new Random(3);
        long[] counts = new long[2];
        Runnable[] writer = new Runnable[1];
        writer[0] = () -> {
            if (counts[0] == total) {
                sent.complete(null);
                return;
            }
            byte[] b = new byte[chunk];
            r.nextBytes(b);
            sentCrc.update(b);
            counts[0] += chunk;
            c.write(b).whenComplete((v, e) -> {
                if (e != null) {
                    sent.completeExceptionally(e);
                } else {
                    writer[0].run();
                }
            });
        };
        Runnable[] reader = new Runnable[1];
        reader[0] = () -> s.readBytes(chunk, true).whenComplete((b, e) -> {
            if (e != null) {
                received.completeExceptionally(e);
                return;
            }
            gotCrc.update(b);
            counts[1] += b.length;
            if (counts[1] == total) {
                received.complete(null);
            } else {
                reader[0].run();
            }
        });
        loop.addCallback(reader[0]);
        loop.addCallback(writer[0]);
        await(sent);
        await(received);
        assertThat(gotCrc.getValue()).isEqualTo(sentCrc.getValue());
    }

    @Test
    void hostnameMismatchFailsTheHandshake() throws IOException {
        CompletableFuture<SslIOStream> c = pair(ca.trustingContext(), TlsOptions.client("gale.example"),
                serverId.sslContext(), TlsOptions.server());
        Throwable t = failure(c);
        assertThat(t).isInstanceOf(StreamClosedException.class).hasCauseInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void untrustedServerFailsTheHandshake() throws IOException {
        TestCertificates otherCa = TestCertificates.create();
        Throwable t = failure(pair(otherCa.trustingContext(), TlsOptions.client("localhost"), serverId.sslContext(),
                TlsOptions.server()));
        assertThat(t).hasCauseInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void requiredClientCertificateIsPresentedAndSeenByTheServer() throws IOException {
        SslIOStream c = await(pair(clientId.sslContext(), TlsOptions.client("localhost"), serverId.sslContext(),
                TlsOptions.server().toBuilder().clientAuth(TlsOptions.ClientAuth.NEED).build()));
        client = c;
        SslIOStream s = (SslIOStream) server;
        await(on(loop, s::handshake));
        X509Certificate peer = (X509Certificate) call(loop, () -> s.peerCertificates().get(0));
        assertThat(peer.getSubjectX500Principal().getName()).isEqualTo("CN=gale-client");
    }

    @Test
    void missingRequiredClientCertificateFailsTheServerHandshake() throws IOException {
        pair(ca.trustingContext(), TlsOptions.client("localhost").toBuilder().protocols("TLSv1.2").build(), serverId.sslContext(),
                TlsOptions.server().toBuilder().clientAuth(TlsOptions.ClientAuth.NEED).build());
        SslIOStream s = (SslIOStream) server;
        Throwable t = failure(on(loop, s::handshake));
        assertThat(t).isInstanceOf(StreamClosedException.class).hasCauseInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void alpnSelectionAndSniAreSeenByBothSides() throws IOException {
        SslIOStream c = await(pair(ca.trustingContext(),
                TlsOptions.client("localhost").toBuilder().applicationProtocols(List.of("h2", "http/1.1")).build(),
                serverId.sslContext(),
                TlsOptions.server().toBuilder().protocolSelector(offered -> offered.contains("http/1.1") ? "http/1.1" : "").build()));
        client = c;
        SslIOStream s = (SslIOStream) server;
        await(on(loop, s::handshake));
        assertThat(call(loop, c::applicationProtocol)).isEqualTo("http/1.1");
        assertThat(call(loop, s::applicationProtocol)).isEqualTo("http/1.1");
        assertThat(call(loop, s::requestedServerName)).isEqualTo("localhost");
    }

    @Test
    void startTlsUpgradesAPlainConnectionTakingOverBufferedBytes() throws Exception {
        // Client (blocking JDK sockets): sends the command and its ClientHello back to back.
        CompletableFuture<String> clientSide = CompletableFuture.supplyAsync(() -> {
            try (Socket plain = new Socket()) {
                plain.connect(acceptor.getLocalAddress());
                plain.setSoTimeout(30_000);
                plain.getOutputStream().write("STARTTLS\r\n".getBytes(ISO_8859_1));
                SSLSocket tls = (SSLSocket) ca.trustingContext().getSocketFactory()
                        .createSocket(plain, "localhost", plain.getPort(), false);
                tls.startHandshake();
                tls.getOutputStream().write("secret\n".getBytes(ISO_8859_1));
                byte[] reply = tls.getInputStream().readNBytes(3);
                return str(reply);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        SocketChannel accepted = acceptor.accept();
        IOStream plain = call(loop, () -> {
            IOStream p = new IOStream(loop, accepted);
            p.setCloseCallback(() -> {}); // read ahead, so the ClientHello lands in the plain buffer
            return p;
        });
        server = plain;
        awaitState(loop, () -> plain.readBufferSize() > "STARTTLS\r\n".length(), "the ClientHello to be buffered");
        CompletableFuture<SslIOStream> upgraded = on(loop, () -> plain.readUntil("\r\n".getBytes(ISO_8859_1), 100)
                .thenCompose(cmd -> plain.startTls(serverId.sslContext(), TlsOptions.server())));
        SslIOStream tls = await(upgraded);
        server = tls;
        CompletableFuture<byte[]> line = on(loop, () -> tls.readUntil(new byte[] {'\n'}, 100)
                .thenCompose(l -> tls.write("ok\n".getBytes(ISO_8859_1)).thenApply(v -> l)));
        assertThat(str(await(line))).isEqualTo("secret\n");
        assertThat(await(clientSide)).isEqualTo("ok\n");
        assertThat(call(loop, plain::isClosed)).isTrue();
    }

    @Test
    void startTlsRefusesAStreamThatIsNotIdle() throws IOException {
        CompletableFuture<IOStream> c = IOStream.connect(loop, acceptor.getLocalAddress());
        SocketChannel accepted = acceptor.accept();
        client = await(c);
        IOStream s = call(loop, () -> new IOStream(loop, accepted));
        server = s;
        Throwable t = failure(on(loop, () -> {
            s.readBytes(1, false);
            return s.startTls(serverId.sslContext(), TlsOptions.server());
        }));
        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("not idle");
    }

    @Test
    void interopWithJdkSslSocketAsClient() throws Exception {
        CompletableFuture<String> clientSide = CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) ca.trustingContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) acceptor.getLocalAddress()).getPort())) {
                s.setSoTimeout(30_000);
                var p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.getOutputStream().write("ping\n".getBytes(ISO_8859_1));
                return str(s.getInputStream().readNBytes(5));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        SocketChannel accepted = acceptor.accept();
        SslIOStream s = call(loop, () -> new SslIOStream(loop, accepted, serverId.sslContext(), TlsOptions.server(),
                IOStreamOptions.defaults()));
        server = s;
        await(on(loop, () -> s.readUntil(new byte[] {'\n'}, 100).thenCompose(l -> s.write("pong\n".getBytes(ISO_8859_1)))));
        // The JDK client's close waits for our close_notify: keep reading so we see its own.
        CompletableFuture<byte[]> rest = on(loop, s::readUntilClose);
        assertThat(await(clientSide)).isEqualTo("pong\n");
        assertThat(await(rest)).isEmpty();
    }

    @Test
    void interopWithJdkSslServerSocketAsServer() throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) serverId.sslContext().getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
                try (Socket s = ss.accept()) {
                    s.setSoTimeout(30_000);
                    byte[] in = s.getInputStream().readNBytes(5);
                    s.getOutputStream().write(in);
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            SslIOStream c = await(SslIOStream.connect(loop, ss.getLocalSocketAddress(), ca.trustingContext(),
                    TlsOptions.client("localhost"), IOStreamOptions.defaults()));
            client = c;
            byte[] echoed = await(on(loop, () -> {
                c.write("abcde".getBytes(ISO_8859_1));
                return c.readBytes(5, false);
            }));
            assertThat(str(echoed)).isEqualTo("abcde");
            // The JDK server's close() waits for our close_notify (TLS 1.3 duplex close): send it,
            // since no read of ours is pending to answer the server's.
            c.close();
            await(serverSide);
        }
    }

    @Test
    void tls12RenegotiationIsRefused() throws Exception {
        CompletableFuture<Void> clientSide = CompletableFuture.runAsync(() -> {
            try (SSLSocket s = (SSLSocket) ca.trustingContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) acceptor.getLocalAddress()).getPort())) {
                s.setSoTimeout(30_000);
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.startHandshake();
                s.getOutputStream().write('x');
                s.getInputStream().read(); // the server's reply: the first handshake is done
                s.startHandshake(); // renegotiate
                s.getOutputStream().write('y');
                s.getInputStream().read();
            } catch (IOException expected) {
                // the server closes the connection
            }
        });
        SocketChannel accepted = acceptor.accept();
        SslIOStream s = call(loop, () -> new SslIOStream(loop, accepted, serverId.sslContext(), TlsOptions.server(),
                IOStreamOptions.defaults()));
        server = s;
        await(on(loop, () -> s.readBytes(1, false).thenCompose(b -> s.write(b))));
        Throwable t = failure(on(loop, () -> s.readBytes(1, false)));
        assertThat(t).isInstanceOf(StreamClosedException.class);
        assertThat(t.getCause()).hasMessageContaining("renegotiation");
        clientSide.get(30, TimeUnit.SECONDS);
    }

    @Test
    void handshakeTimeoutClosesTheStream() throws Exception {
        try (Socket silent = new Socket()) {
            silent.connect(acceptor.getLocalAddress());
            SocketChannel accepted = acceptor.accept();
            SslIOStream s = call(loop, () -> new SslIOStream(loop, accepted, serverId.sslContext(),
                    TlsOptions.server().toBuilder().handshakeTimeout(java.time.Duration.ofMillis(100)).build(), IOStreamOptions.defaults()));
            server = s;
            Throwable t = failure(on(loop, s::handshake));
            assertThat(t).isInstanceOf(StreamClosedException.class).hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void interopWithOpensslClient(String version, @TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "no openssl");
        Path caPem = ca.writeCertificatePem(dir.resolve("ca.pem"));
        int port = ((InetSocketAddress) acceptor.getLocalAddress()).getPort();
        Process p = new ProcessBuilder("/usr/bin/openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-verify_hostname", "localhost", "-CAfile", caPem.toString(),
                "-verify_return_error", "-quiet", version)
                .redirectErrorStream(true).start();
        try {
            SocketChannel accepted = acceptor.accept();
            SslIOStream s = call(loop, () -> new SslIOStream(loop, accepted, serverId.sslContext(),
                    TlsOptions.server(), IOStreamOptions.defaults()));
            server = s;
            p.getOutputStream().write("ping\n".getBytes(ISO_8859_1));
            p.getOutputStream().flush();
            await(on(loop, () -> s.readUntil(new byte[] {'\n'}, 100)
                    .thenCompose(l -> s.write("pong\n".getBytes(ISO_8859_1)))
                    .thenRun(s::close)));
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), ISO_8859_1);
            assertThat(out).contains("pong");
            assertThat(call(loop, () -> s.requestedServerName())).isEqualTo("localhost");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void interopWithOpensslServer(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "no openssl");
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        serverId.writePem(cert, key);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder("/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", cert.toString(), "-key", key.toString(), "-www", "-naccept", "1")
                .redirectErrorStream(true).start();
        try {
            InputStream out = p.getInputStream();
            StringBuilder banner = new StringBuilder();
            while (!banner.toString().contains("ACCEPT")) {
                int ch = out.read();
                assertThat(ch).as("openssl s_server output: %s", banner).isNotNegative();
                banner.append((char) ch);
            }
            SslIOStream c = await(SslIOStream.connect(loop, new InetSocketAddress("127.0.0.1", port),
                    ca.trustingContext(), TlsOptions.client("localhost"), IOStreamOptions.defaults()));
            client = c;
            byte[] page = await(on(loop, () -> {
                c.write("GET / HTTP/1.0\r\n\r\n".getBytes(ISO_8859_1));
                return c.readUntilClose();
            }));
            assertThat(str(page)).startsWith("HTTP/1.0 200 ok");
        } finally {
            p.destroyForcibly();
        }
    }
}
