package io.gale.demos.tcpecho;

import io.gale.demos.DemoOptions;
import io.gale.options.Option;
import io.gale.options.OptionParser;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tcpecho demo: a line echo server and its client over {@link io.gale.net.TcpServer} and
 * {@link io.gale.net.TcpClient}.
 *
 * <pre>
 * java ... io.gale.demos.tcpecho.TcpEchoDemo server [--port 9888] [--host ADDRESS]
 * java ... io.gale.demos.tcpecho.TcpEchoDemo client [--port 9888] [--host 127.0.0.1] [--message TEXT]
 * </pre>
 *
 * The server prints {@code listening on HOST:PORT} once it accepts connections and runs until
 * killed; the client prints the echoed line and exits 0 (1 on a network error, 2 on bad usage).
 */
public final class TcpEchoDemo {
    static final int DEFAULT_PORT = 9888;

    private TcpEchoDemo() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err,
                server -> Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(true))));
        if (code != 0 || !isServer(args)) {
            System.exit(code);
        }
        // Server: the loop threads keep the JVM running.
    }

    private static boolean isServer(String[] args) {
        return args.length > 0 && args[0].equals("server");
    }

    /**
     * Runs the demo; returns the exit code. In server mode it returns once the server is
     * listening, after handing it to {@code onServerStarted}.
     */
    static int run(String[] args, PrintStream out, PrintStream err, Consumer<TcpEchoServer> onServerStarted) {
        try {
            return DemoOptions.run("tcpecho", out, err, demo -> run(demo, args, onServerStarted));
        } catch (Exception e) {
            err.println("tcpecho failed: " + e);
            return 1;
        }
    }

    private static int run(DemoOptions demo, String[] args, Consumer<TcpEchoServer> onServerStarted) throws Exception {
        OptionParser options = demo.parser().usageArguments("server|client");
        Option<Integer> port = demo.port(DEFAULT_PORT);
        Option<String> host = options.option("host", String.class).metavar("HOST")
                .help("server: the address to listen on (default: all); client: the server (default 127.0.0.1)").define();
        Option<String> message = options.option("message", String.class).defaultValue("hello").metavar("TEXT")
                .help("client: the line to send").define();
        List<String> mode = demo.parse(args);
        if (mode.size() != 1 || !(mode.get(0).equals("server") || mode.get(0).equals("client"))) {
            throw options.usageError(mode.isEmpty() ? "say server or client" : "expected server or client, got " + mode);
        }
        if (mode.get(0).equals("server")) {
            TcpEchoServer s = demo.listen(port.get(), () -> TcpEchoServer.start(host.get(), port.get()));
            onServerStarted.accept(s);
            demo.out().println(s.listeningLine());
        } else {
            String to = host.get() != null ? host.get() : "127.0.0.1";
            try {
                demo.out().println(TcpEchoClient.echo(to, port.get(), message.get(), Duration.ofSeconds(10)));
            } catch (Exception e) {
                demo.err().println("tcpecho client failed: " + e);
                return 1;
            }
        }
        demo.out().flush();
        return 0;
    }
}
