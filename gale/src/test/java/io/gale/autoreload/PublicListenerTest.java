package io.gale.autoreload;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.net.NetUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The supervisor's public socket: holding, forwarding both ways with half-closes, switching, 503 when nothing serves. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PublicListenerTest {
    /** A stand-in child: answers each connection with its name and what it read, then closes. */
    private static ServerSocket child(String name) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    byte[] in = c.getInputStream().readAllBytes(); // until the client's half-close
                    c.getOutputStream().write((name + ":" + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return s;
    }

    private static PublicListener listener(Duration hold) throws IOException {
        PublicListener l = new PublicListener(NetUtil.bindSockets(0, "127.0.0.1", 0, false), hold);
        l.start();
        return l;
    }

    /** Sends {@code text}, half-closes, reads everything back. */
    private static String exchange(PublicListener l, String text) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), l.addresses().get(0).getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InetSocketAddress address(ServerSocket s) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
    }

    @Test
    void forwardsBothWaysAndSwitchesNewConnections() throws Exception {
        try (PublicListener l = listener(Duration.ofSeconds(30)); ServerSocket one = child("one"); ServerSocket two = child("two")) {
            l.route(address(one));
            assertThat(exchange(l, "hello")).isEqualTo("one:hello");
            l.route(address(two));
            assertThat(l.routesTo(address(two))).isTrue();
            assertThat(exchange(l, "x".repeat(200_000))).isEqualTo("two:" + "x".repeat(200_000));
        }
    }

    @Test
    void aConnectionWaitsWhileAChildStarts() throws Exception {
        try (PublicListener l = listener(Duration.ofSeconds(30)); ServerSocket one = child("one")) {
            l.hold();
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return exchange(l, "early");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(waiting).isNotDone();
            l.route(address(one));
            assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo("one:early");
        }
    }

    @Test
    void aDeadChildIsSkippedForTheNextRoute() throws Exception {
        try (PublicListener l = listener(Duration.ofSeconds(30)); ServerSocket two = child("two")) {
            ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            InetSocketAddress dead = address(gone);
            gone.close(); // connections to it are refused now
            l.route(dead);
            CompletableFuture<String> r = CompletableFuture.supplyAsync(() -> {
                try {
                    return exchange(l, "retry");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            l.route(address(two)); // the supervisor learns of the exit and routes to the next child
            assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo("two:retry");
        }
    }

    @Test
    void nothingServingIsA503WithTheReason() throws Exception {
        try (PublicListener l = listener(Duration.ofSeconds(30))) {
            l.fail("version 2 failed to start (exit status 1)");
            String r = exchange(l, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(r).startsWith("HTTP/1.1 503 Service Unavailable\r\n").contains("Connection: close\r\n")
                    .endsWith("The application is not running: version 2 failed to start (exit status 1)\n"
                            + "Gale's autoreload supervisor is waiting for the next change.\n");
            int length = Integer.parseInt(r.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            assertThat(r.substring(r.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.UTF_8)).hasSize(length);
        }
    }

    @Test
    void holdingEndsWithA503AfterTheHoldTimeout() throws Exception {
        try (PublicListener l = listener(Duration.ofMillis(200))) {
            l.hold();
            assertThat(exchange(l, "GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 503").contains("no version of the application was ready");
        }
    }
}
