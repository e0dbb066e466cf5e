package io.gale.demos;

import io.gale.demos.auth.AuthDemo;
import io.gale.demos.auth.LoginWalk;
import io.gale.demos.chat.ChatDemo;
import io.gale.demos.fetch.Fetch;
import io.gale.demos.helloworld.HelloWorld;
import io.gale.demos.httpbin.HttpBin;
import io.gale.demos.websocket.WebSocketDemo;
import io.gale.ioloop.IOLoop;
import io.gale.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run behind {@code ./gale-demo}'s start-up cache: the launcher runs this once per
 * build with {@code -XX:AOTCacheOutput} (JDK 25+) or {@code -XX:ArchiveClassesAtExit} (JDK
 * 21-24), so the JVM records the classes (and, on JDK 25, their linked state and method
 * profiles) that the demos load, and later starts load them mapped from the cache instead of
 * parsing and verifying them again.
 *
 * <p>It walks the paths a user's first minute walks, through the demos' own entry points:
 * options parsed, a server listening, requests answered (the access log initialising Logback),
 * the HTTP client fetching, then exits. Everything on 127.0.0.1, ephemeral ports; nothing
 * printed unless it fails (then exit status 1, and the launcher runs without a cache).
 */
public final class AotTraining {
    private AotTraining() {
    }

    /**
     * Trains for demo {@code args[0]} (the launcher keeps one cache per demo: a cache holds, and
     * the JVM loads at start, every class its training loaded, so a cache trained on all demos
     * would make hello world load httpbin's and the client's classes too); other names train on
     * hello world's path, the server and web layer every demo uses.
     */
    public static void main(String[] args) throws Exception {
        Demos.warmUp();
        // what a real start links first (its exit handler is System::exit; the training's below fail instead)
        DemoOptions.forDemo("training");
        String demo = args.length > 0 ? args[0] : "all";
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<HttpServer> servers = new ArrayList<>();
        try {
            switch (demo) {
                case "helloworld" -> exercise(servers, hello(quiet), "/");
                case "chat" -> exercise(servers, chat(quiet), "/");
                case "websocket" -> exercise(servers, websocket(quiet), "/");
                case "httpbin" -> exercise(servers, httpbin(quiet), "/get?a=1", "/status/404", "/json", "/gzip");
                case "fetch" -> fetch(servers, quiet);
                case "auth" -> auth(quiet);
                // The other demos (their own jars may be off this class path): the server path they share.
                default -> exercise(servers, hello(quiet), "/");
            }
        } finally {
            servers.forEach(HttpServer::close);
        }
        System.exit(0);
    }

    private static HttpServer hello(PrintStream quiet) throws Exception {
        return HelloWorld.serve(new DemoOptions("helloworld", quiet, System.err, AotTraining::fail),
                new String[] {"--port", "0"});
    }

    private static HttpServer chat(PrintStream quiet) throws Exception {
        return ChatDemo.serve(new DemoOptions("chat", quiet, System.err, AotTraining::fail), new String[] {"--port", "0"},
                roomLoop());
    }

    private static HttpServer websocket(PrintStream quiet) throws Exception {
        return WebSocketDemo.serve(new DemoOptions("websocket", quiet, System.err, AotTraining::fail),
                new String[] {"--port", "0"}, roomLoop());
    }

    /** The loop a chat demo's room runs on (the demo's main thread runs it); ended by System.exit. */
    private static IOLoop roomLoop() {
        IOLoop loop = new IOLoop();
        loop.startInBackground();
        return loop;
    }

    private static HttpServer httpbin(PrintStream quiet) throws Exception {
        return HttpBin.serve(new DemoOptions("httpbin", quiet, System.err, AotTraining::fail),
                new String[] {"--port=0", "--address=127.0.0.1"});
    }

    /** Twenty rounds of GETs of {@code paths}, each on a fresh connection. */
    private static void exercise(List<HttpServer> servers, HttpServer server, String... paths) throws Exception {
        servers.add(server);
        for (int i = 0; i < 20; i++) {
            for (String p : paths) {
                get(server.boundPorts().get(0), p);
            }
        }
        keepAliveThenHangUp(server.boundPorts().get(0), paths[0]);
        get(server.boundPorts().get(0), paths[0]); // most likely after the loop has seen that end of input
    }

    private static void fetch(List<HttpServer> servers, PrintStream quiet) throws Exception {
        HttpServer bin = httpbin(quiet);
        servers.add(bin);
        int code = Fetch.run(new String[] {"--print-headers", "http://127.0.0.1:" + bin.boundPorts().get(0) + "/gzip"},
                quiet, System.err);
        if (code != 0) {
            throw new IllegalStateException("fetch failed: " + code);
        }
    }

    /** Three logins through the auth demo's local provider (its login form, the claims page, the logout). */
    private static void auth(PrintStream quiet) throws Exception {
        try (AuthDemo.Running demo = AuthDemo.serve(new DemoOptions("auth", quiet, System.err, AotTraining::fail),
                new String[] {"--port", "0", "--address", "127.0.0.1", "--logging", "warning"})) {
            for (int i = 0; i < 3; i++) {
                LoginWalk.run(demo.baseUrl(), "training-" + i);
            }
        }
    }

    private static void fail(int code) {
        throw new IllegalStateException("training run: demo exited with " + code);
    }

    /** One HTTP/1.1 request on a fresh connection, as the first visitor's (plain JDK socket). */
    private static void get(int port, String path) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            if (head.length < 12 || !new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 ")) {
                throw new IllegalStateException("no HTTP response for " + path);
            }
            in.readAllBytes();
        }
    }

    /**
     * A browser's or curl's way: a keep-alive request, its response read whole (by its
     * Content-Length), then the client closes, so the server's stream sees the end of input, a
     * path the {@code Connection: close} requests above never take (the server closes those).
     */
    private static void keepAliveThenHangUp(int port, String path) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IllegalStateException("no HTTP response for " + path);
                }
                head.append((char) b);
            }
            for (String line : head.toString().split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    in.readNBytes(Integer.parseInt(line.substring(15).trim()));
                }
            }
        }
    }
}
