package io.gale.demos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demos' shared command line: options, help, environment, and a port that is taken. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DemoOptionsTest {
    static final class Exit extends RuntimeException {
        final int code;

        Exit(int code) {
            super("exit " + code);
            this.code = code;
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private DemoOptions demo(String name) {
        return new DemoOptions(name, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), code -> {
                    throw new Exit(code);
                });
    }

    @Test
    void helloworldOnATakenPortSaysSoInOneLineAndExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> io.gale.demos.helloworld.HelloWorld.serve(demo("helloworld"),
                    new String[] {"--port", String.valueOf(port)}))
                    .isInstanceOf(Exit.class).satisfies(e -> assertThat(((Exit) e).code).isEqualTo(1));
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("helloworld: cannot listen on port " + port
                    + ": it is already in use; choose another with --port N (or GALE_PORT=N), 0 for any free port\n");
        }
    }

    @Test
    void helloworldServesOnThePortFromTheEnvironment() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        DemoOptions d = demo("helloworld");
        d.parser().environment(Map.of("GALE_PORT", String.valueOf(free)));
        HttpServer server = io.gale.demos.helloworld.HelloWorld.serve(d, new String[0]);
        try {
            assertThat(server.boundPorts()).containsExactly(free);
            assertThat(out.toString(StandardCharsets.UTF_8)).endsWith(":" + free + "\n");
        } finally {
            server.close();
        }
    }

    @Test
    void helpListsTheOptionsAndUsageErrorsExitTwo() {
        DemoOptions d = demo("helloworld");
        d.port(8888);
        assertThatThrownBy(() -> d.parseOptionsOnly(new String[] {"--help"}))
                .satisfies(e -> assertThat(((Exit) e).code).isZero());
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: ./gale-demo helloworld [OPTIONS]\n")
                .contains("--port=INT                     the port to listen on (0: any free port)\n"
                        + "                                 (default 8888; env GALE_PORT)\n")
                .contains("logging options:\n\n  --logging=debug|info|warning|error|none");

        DemoOptions bad = demo("helloworld");
        bad.port(8888);
        for (String[] args : new String[][] {{"--port=70000"}, {"extra"}, {"--prot", "1"}}) {
            assertThatThrownBy(() -> bad.parseOptionsOnly(args)).as(String.join(" ", args))
                    .satisfies(e -> assertThat(((Exit) e).code).isEqualTo(2));
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "./gale-demo helloworld: --port: 70000 is not a port number from 0 to 65535\n",
                "./gale-demo helloworld: unexpected argument 'extra'\n",
                "./gale-demo helloworld: unrecognized option '--prot' (did you mean --port?)\n");
    }
}
