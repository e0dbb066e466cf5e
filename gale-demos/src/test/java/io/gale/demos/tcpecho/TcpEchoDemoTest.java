package io.gale.demos.tcpecho;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TcpEchoDemoTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private final List<TcpEchoServer> started = new ArrayList<>();

    @AfterEach
    void stopServers() {
        started.forEach(s -> s.stop(true));
    }

    private int run(String... args) {
        return TcpEchoDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), started::add);
    }

    @Test
    void clientGetsItsLineEchoedByTheServer() throws Exception {
        TcpEchoServer server = TcpEchoServer.start("127.0.0.1", 0);
        try {
            int port = server.boundPorts().get(0);
            assertThat(server.listeningLine()).isEqualTo("listening on 127.0.0.1:" + port);
            assertThat(run("client", "--port", String.valueOf(port), "--message", "hello gale ✓")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello gale ✓" + System.lineSeparator());
            assertThat(TcpEchoClient.echo("127.0.0.1", port, "second", java.time.Duration.ofSeconds(10))).isEqualTo("second");
        } finally {
            server.stop(true);
        }
    }

    @Test
    void serverModePrintsOneListeningLine() {
        assertThat(run("server", "--host", "127.0.0.1", "--port", "0")).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).matches("listening on 127\\.0\\.0\\.1:\\d+\\R");
        assertThat(started).hasSize(1);
        int port = Integer.parseInt(printed.trim().substring(printed.trim().lastIndexOf(':') + 1));
        assertThat(run("client", "--port", String.valueOf(port), "--message", "x")).isZero();
    }

    @Test
    void badUsageExitsTwoAndUnreachableServerExitsOne() throws Exception {
        assertThat(run()).isEqualTo(2);
        assertThat(run("serve")).isEqualTo(2);
        assertThat(run("client", "--port")).isEqualTo(2);
        assertThat(run("client", "--port", "x")).isEqualTo(2);
        assertThat(run("client", "--bogus", "1")).isEqualTo(2);
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(run("client", "--port", String.valueOf(closed))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("could not connect to 127.0.0.1:" + closed);
    }
}
