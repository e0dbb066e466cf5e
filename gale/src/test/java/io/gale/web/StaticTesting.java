package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test support for the static-file tests: an application served on its own loop, curl, a raw client. */
final class StaticTesting {
    private StaticTesting() {
    }

    /** An application on 127.0.0.1 (an ephemeral port) and its own loop; close() stops both. */
    static final class Served implements AutoCloseable {
        final IOLoop loop;
        final HttpServer server;
        final int port;

        Served(Application app, HttpServerOptions options) throws IOException {
            loop = new IOLoop(IOLoopOptions.builder().name("static-test").daemon(true).build());
            loop.startInBackground();
            server = new HttpServer(app, options);
            server.bind(0, "127.0.0.1");
            server.start(loop);
            port = server.boundPorts().get(0);
        }

        String base() {
            return "http://127.0.0.1:" + port;
        }

        @Override
        public void close() {
            server.close();
            loop.stop();
        }
    }

    static Served serve(Application app) throws IOException {
        return new Served(app, HttpServerOptions.defaults());
    }

    /** curl's standard output (bytes), after asserting it exited 0. */
    static byte[] curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/curl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl %s", String.join(" ", args)).isZero();
        return out.toByteArray();
    }

    static String curlText(String... args) throws Exception {
        return new String(curl(args), StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends {@code request} as is (no client normalises its path) on a fresh connection and returns
     * the whole response, read until the server closes (the request asks it to).
     */
    static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The status code of a raw GET of {@code target} (sent verbatim) and the response. */
    static String rawGet(int port, String target) throws IOException {
        return raw(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }
}
