package io.gale.demos;

import io.gale.demos.logging.DemoLogging;
import io.gale.options.Option;
import io.gale.options.OptionParser;
import io.gale.pubsub.PubSub;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.IntConsumer;

/**
 * What every demo's command line shares: an {@link OptionParser} named after the demo
 * ({@code ./gale-demo NAME --help}), environment variables {@code GALE_NAME} as fallback
 * ({@code GALE_PORT=9000}), Tornado's {@code --logging=LEVEL}, the {@code --port} option, the
 * chat demos' {@code --pubsub} broker, and the one-line answers to a port that is already taken
 * and a broker that cannot be reached.
 *
 * <p>Exit statuses: 2 for a usage error (from the parser), 1 when the port is taken or the broker
 * unreachable, all through the exit handler ({@code System::exit} outside tests).
 */
public final class DemoOptions {
    /** Exit status when the server cannot listen. */
    public static final int PORT_IN_USE = 1;
    /** Exit status when the {@code --pubsub} broker cannot be reached at start. */
    public static final int BROKER_UNAVAILABLE = 1;
    /** How long a SIGTERM'd demo drains before it closes what is left (see {@link #drainOnTerm}). */
    public static final java.time.Duration DRAIN_DEADLINE = java.time.Duration.ofSeconds(10);

    private final String demo;
    private final OptionParser parser;
    private final PrintStream out;
    private final PrintStream err;
    private final IntConsumer exit;

    public DemoOptions(String demo, PrintStream out, PrintStream err, IntConsumer exit) {
        this.demo = demo;
        this.out = out;
        this.err = err;
        this.exit = exit;
        this.parser = new OptionParser("./gale-demo " + demo).envPrefix("GALE_").out(out).err(err).exitHandler(exit);
        parser.option("logging", String.class).defaultValue("info").group("logging").metavar("debug|info|warning|error|none")
                .help("the log level").callback(DemoLogging::setLevel).define();
    }

    /** For a demo's {@code main}: standard streams, {@link System#exit}. */
    public static DemoOptions forDemo(String demo) {
        return new DemoOptions(demo, System.out, System.err, System::exit);
    }

    public OptionParser parser() {
        return parser;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** Defines {@code --port} (0 to 65535; 0 picks a free port). */
    public Option<Integer> port(int defaultPort) {
        return parser.option("port", Integer.class).defaultValue(defaultPort)
                .help("the port to listen on (0: any free port)")
                .check(p -> p >= 0 && p <= 65535, "a port number from 0 to 65535").define();
    }

    /**
     * Defines {@code --pubsub URI} (default none): the broker through which several processes of
     * a demo share their rooms, {@code redis://host:port} or {@code nats://host:port}.
     */
    public Option<String> pubsub() {
        return parser.option("pubsub", String.class).defaultValue("").metavar("redis://HOST:PORT|nats://HOST:PORT")
                .help("share the rooms with the other processes on this broker (default: this process only)")
                .check(DemoOptions::isBrokerUri, "redis://HOST[:PORT] or nats://HOST[:PORT]").define();
    }

    private static boolean isBrokerUri(String uri) {
        return uri.isEmpty() || uri.startsWith("redis://") || uri.startsWith("nats://");
    }

    /**
     * The {@link PubSub} of {@code --pubsub}: {@link PubSub#inProcess()} without a broker, else
     * connected to it (waiting for the first connection). A broker that cannot be reached is one
     * line on standard error and exit status {@link #BROKER_UNAVAILABLE}, not a stack trace; after
     * this first connection, losses are the PubSub's to reconnect.
     */
    public PubSub connectPubSub(String uri) {
        if (uri.isEmpty()) {
            return PubSub.inProcess();
        }
        try {
            return PubSub.connect(uri).join();
        } catch (CompletionException | IllegalArgumentException | IllegalStateException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            err.println(demo + ": cannot use the broker " + uri + ": " + cause.getMessage());
            err.flush();
            exit.accept(BROKER_UNAVAILABLE);
            throw e; // the exit handler returned (a test): stop here all the same
        }
    }

    /**
     * Drains {@code server} when the JVM is asked to exit (SIGTERM, SIGINT, System.exit): a
     * shutdown hook runs {@link io.gale.http.HttpServer#shutdown} with {@link #DRAIN_DEADLINE}
     * (readiness false, WebSockets closed with 1001, long polls answered 503 with Retry-After,
     * requests in flight finished) and waits for it, so the process exits once every client was
     * answered, and at the latest after the deadline. Prints {@code draining} and
     * {@code drained in N ms} on standard output.
     */
    public void drainOnTerm(io.gale.http.HttpServer server) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long start = System.nanoTime();
            out.println(demo + ": draining");
            out.flush();
            try {
                server.shutdown(DRAIN_DEADLINE).get(DRAIN_DEADLINE.toSeconds() + 5, java.util.concurrent.TimeUnit.SECONDS);
                out.println(demo + ": drained in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            } catch (Exception e) {
                out.println(demo + ": drain did not complete: " + e);
            }
            out.flush();
        }, "gale-demo-drain"));
    }

    /** Parses the command line (usage errors and {@code --help} exit); returns the other arguments. */
    public List<String> parse(String[] args) {
        return parser.parseCommandLine(args);
    }

    /** Parses a command line that may hold options only: another argument is a usage error. */
    public void parseOptionsOnly(String[] args) {
        List<String> rest = parse(args);
        if (!rest.isEmpty()) {
            throw parser.usageError("unexpected argument '" + rest.get(0) + "'");
        }
    }

    /** Something that binds a port. */
    @FunctionalInterface
    public interface Bind<T> {
        T bind() throws IOException;
    }

    /**
     * Runs {@code bind}; if the port is taken, says so in one line (with how to choose another)
     * and exits with {@link #PORT_IN_USE} instead of a stack trace.
     */
    public <T> T listen(int port, Bind<T> bind) throws IOException {
        try {
            return bind.bind();
        } catch (BindException e) {
            err.println(demo + ": cannot listen on port " + port + ": " + reason(e)
                    + "; choose another with --port N (or GALE_PORT=N), 0 for any free port");
            err.flush();
            exit.accept(PORT_IN_USE);
            throw e; // the exit handler returned (a test): stop here all the same
        }
    }

    /** A demo body that returns its exit status. */
    @FunctionalInterface
    public interface Body {
        int run(DemoOptions demo) throws Exception;
    }

    /**
     * Runs {@code body} with options whose exit handler ends the body instead of the JVM, and
     * returns the status: the body's, or the one the options exited with (2 for a usage error,
     * 0 after {@code --help}). For demos whose {@code run} method tests call.
     */
    public static int run(String demo, PrintStream out, PrintStream err, Body body) throws Exception {
        try {
            return body.run(new DemoOptions(demo, out, err, code -> {
                throw new ExitRequest(code);
            }));
        } catch (ExitRequest e) {
            return e.code;
        }
    }

    /** Unwinds a {@link #run} body to its exit status. */
    private static final class ExitRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        ExitRequest(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private static String reason(BindException e) {
        String m = String.valueOf(e.getMessage());
        return m.startsWith("Address already in use") ? "it is already in use" : m;
    }
}
