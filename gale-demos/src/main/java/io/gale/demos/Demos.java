package io.gale.demos;

import io.gale.demos.auth.AuthDemo;
import io.gale.demos.bench.BenchDemo;
import io.gale.demos.bench.FortunesDemo;
import io.gale.demos.blog.BlogDemo;
import io.gale.demos.chat.ChatDemo;
import io.gale.demos.fileupload.FileUploadDemo;
import io.gale.demos.fileupload.FileUploader;
import io.gale.demos.fetch.Fetch;
import io.gale.demos.helloworld.HelloWorld;
import io.gale.demos.httpbin.HttpBin;
import io.gale.demos.staticfiles.StaticFilesDemo;
import io.gale.demos.tcpecho.TcpEchoDemo;
import io.gale.demos.websocket.WebSocketDemo;
import io.gale.demos.webspider.WebSpiderDemo;
import java.util.Arrays;

/**
 * Entry point of {@code ./gale-demo NAME [args]}: maps a demo name to its main class. Every
 * demo takes {@code --help}; every server demo takes {@code --port N} and prints one line
 * {@code listening on HOST:PORT} once it serves.
 *
 * <p>Dispatches with a plain switch rather than reflection: {@code Method.invoke} spins method
 * handle classes on first use, which a demo's start-up time (measured by the benchmark) would
 * include.
 */
public final class Demos {
    private Demos() {}

    /**
     * The line every demo prints once it serves: {@code listening on HOST:PORT}, with IPv6 hosts
     * in brackets and the wildcard as {@code [::]} or {@code 0.0.0.0}.
     */
    public static String listeningLine(java.net.InetSocketAddress address) {
        java.net.InetAddress a = address.getAddress();
        String host = a.getHostAddress();
        if (a.isAnyLocalAddress()) {
            host = host.indexOf(':') >= 0 ? "[::]" : "0.0.0.0";
        } else if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "listening on " + host + ":" + address.getPort();
    }

    /**
     * Starts what the first request needs but the main thread does not, on a second thread while
     * the main thread binds the port: SLF4J's binding to Logback (the first access-log line
     * initialises it, and its local time reads the JDK's zone database) and the JDK's security
     * providers behind the SHA-1 ETag. Each is initialised once whichever thread gets there
     * first, so a request that comes early waits for no more than it would have done itself.
     * Measured with the benchmark's start-to-first-response: see docs/benchmarks.md.
     *
     * <p>Also names two providers the JDK and SLF4J would otherwise find by a {@code ServiceLoader}
     * scan, which opens and indexes every jar of the class path (jars a start from the AOT cache
     * never opens otherwise): each is a system property, and one set by the user wins.
     */
    public static void warmUp() {
        // SLF4J: Logback, configured by DemoLogging without Logback's auto-configuration.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "io.gale.demos.logging.DemoLoggingProvider");
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN"); // not "SLF4J(I): Attempting to load..."
            }
        }
        nameSelectorProvider();
        Thread.ofPlatform().daemon().name("gale-demo-warm-up").start(() -> {
            org.slf4j.LoggerFactory.getLogger("gale.access").isInfoEnabled();
            java.util.TimeZone.getDefault(); // the log line's local time: the JDK reads its zone database once
            try {
                java.security.MessageDigest.getInstance("SHA-1");
            } catch (java.security.NoSuchAlgorithmException e) {
                // the ETag code reports it when it needs it
            }
        });
    }

    /**
     * NIO's selector provider: the JDK's own for Linux, named through the documented
     * {@code java.nio.channels.spi.SelectorProvider} property, which the JDK reads before it scans
     * the class path for a provider service (7 ms of hello world's main thread). Only where that
     * class exists; elsewhere the JDK's search runs as usual.
     */
    private static void nameSelectorProvider() {
        String property = "java.nio.channels.spi.SelectorProvider";
        String epoll = "sun.nio.ch.EPollSelectorProvider";
        if (System.getProperty(property) != null || !System.getProperty("os.name", "").equals("Linux")) {
            return;
        }
        try {
            Class.forName(epoll, false, null); // loaded, not initialised: the JDK creates it itself
            System.setProperty(property, epoll);
        } catch (ClassNotFoundException e) {
            // another JDK layout: let the JDK search
        }
    }

    public static void main(String[] args) throws Exception {
        warmUp();
        String name = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        // One `case "NAME" ->` line per demo: ./gale-demo --help lists the names from these lines.
        switch (name) {
            case "auth" -> AuthDemo.main(rest);
            case "bench" -> BenchDemo.main(rest);
            case "blog" -> BlogDemo.main(rest);
            case "chat" -> ChatDemo.main(rest);
            case "file_upload" -> FileUploadDemo.main(rest);
            case "file_uploader" -> FileUploader.main(rest);
            case "fortunes" -> FortunesDemo.main(rest);
            case "fetch" -> Fetch.main(rest);
            case "helloworld" -> HelloWorld.main(rest);
            case "httpbin" -> HttpBin.main(rest);
            case "staticfiles" -> StaticFilesDemo.main(rest);
            case "tcpecho" -> TcpEchoDemo.main(rest);
            case "websocket" -> WebSocketDemo.main(rest);
            case "webspider" -> WebSpiderDemo.main(rest);
            default -> {
                System.err.println("usage: ./gale-demo NAME [--help] [options...]; demos: "
                        + "auth, bench, blog, chat, fetch, file_upload, file_uploader, fortunes, helloworld, httpbin, staticfiles, tcpecho, websocket, webspider");
                System.exit(2);
            }
        }
    }
}
