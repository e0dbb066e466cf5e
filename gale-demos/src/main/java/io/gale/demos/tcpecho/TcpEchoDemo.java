package io.gale.demos.tcpecho;

import java.io.PrintStream;
import java.time.Duration;
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
    private static final String USAGE =
            "usage: TcpEchoDemo server|client [--port N] [--host HOST] [--message TEXT (client)]";

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
        if (args.length == 0 || !(args[0].equals("server") || args[0].equals("client"))) {
            err.println(USAGE);
            return 2;
        }
        boolean server = isServer(args);
        int port = DEFAULT_PORT;
        String host = server ? null : "127.0.0.1";
        String message = "hello";
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> {
                    try {
                        port = Integer.parseInt(String.valueOf(value));
                    } catch (NumberFormatException e) {
                        err.println("--port needs a number\n" + USAGE);
                        return 2;
                    }
                }
                case "--host" -> host = value;
                case "--message" -> message = value;
                default -> {
                    err.println("unknown option " + args[i] + "\n" + USAGE);
                    return 2;
                }
            }
            if (value == null || port < 0 || port > 65535) {
                err.println("bad value for " + args[i] + "\n" + USAGE);
                return 2;
            }
            i++;
        }
        try {
            if (server) {
                TcpEchoServer s = TcpEchoServer.start(host, port);
                onServerStarted.accept(s);
                out.println(s.listeningLine());
            } else {
                out.println(TcpEchoClient.echo(host, port, message, Duration.ofSeconds(10)));
            }
            out.flush();
            return 0;
        } catch (Exception e) {
            err.println("tcpecho " + args[0] + " failed: " + e);
            return 1;
        }
    }
}
