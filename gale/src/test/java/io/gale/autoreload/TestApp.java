package io.gale.autoreload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A tiny Gale application whose sources the dev-mode tests write and compile at test time (with
 * the JDK's compiler, in this JVM) into a class directory the supervisor watches: {@code /}
 * answers the version text, {@code /slow} answers only when the process is being replaced (its
 * reload hook ran), so a request in flight across a restart can be observed.
 */
final class TestApp {
    static final String MAIN = "app.Main";

    private final Path sources;
    private final Path src;
    private final Path classes;

    TestApp(Path dir) throws IOException {
        this.sources = dir.resolve("src");
        this.src = Files.createDirectories(sources.resolve("app"));
        this.classes = Files.createDirectories(dir.resolve("classes"));
    }

    Path classes() {
        return classes;
    }

    /** The source root (the package {@code app} is below it). */
    Path sources() {
        return sources;
    }

    /** Changes what {@code /} answers in the source only (the supervisor compiles it). */
    void editHello(String version) throws IOException {
        write("Hello.java", hello(version));
    }

    /** A {@code Hello.java} that does not compile. */
    void editHelloBroken() throws IOException {
        write("Hello.java", hello("never").replace("write(", "wirte("));
    }

    /** Writes and compiles all three classes; {@code /} answers {@code version}. */
    void writeAll(String version) throws IOException {
        write("Main.java", main(""));
        write("Hello.java", hello(version));
        write("Slow.java", """
                package app;

                public class Slow extends io.gale.web.RequestHandler {
                    @io.gale.web.Asynchronous
                    public void get() {
                        io.gale.ioloop.IOLoop loop = loop();
                        Main.RELOADING.thenRun(() -> loop.addCallback(() -> {
                            write("slow done");
                            finish();
                        }));
                    }
                }
                """);
        compile("Main.java", "Hello.java", "Slow.java");
    }

    /** Changes what {@code /} answers and compiles that class only. */
    void changeHello(String version) throws IOException {
        write("Hello.java", hello(version));
        compile("Hello.java");
    }

    /** A main class whose {@code main} throws before listening (a start-up failure). */
    void breakMain() throws IOException {
        write("Main.java", main("if (true) throw new IllegalStateException(\"broken on purpose\");"));
        compile("Main.java");
    }

    void fixMain() throws IOException {
        write("Main.java", main(""));
        compile("Main.java");
    }

    /** Overwrites {@code Hello.class} with bytes no JVM loads (a half-written or corrupt class file). */
    void corruptHello() throws IOException {
        Files.write(classes.resolve("app/Hello.class"), new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 1, 2});
    }

    private static String hello(String version) {
        return """
                package app;

                public class Hello extends io.gale.web.RequestHandler {
                    public void get() {
                        write("%s");
                    }
                }
                """.formatted(version);
    }

    private static String main(String firstLine) {
        return """
                package app;

                import java.util.List;
                import java.util.concurrent.CompletableFuture;

                public class Main {
                    public static final CompletableFuture<Void> RELOADING = new CompletableFuture<>();

                    public static void main(String[] args) throws Exception {
                        %s
                        io.gale.autoreload.Autoreload.addReloadHook(() -> RELOADING.complete(null));
                        io.gale.web.Application app = new io.gale.web.Application(List.of(
                                io.gale.web.Route.url("/", Hello.class), io.gale.web.Route.url("/slow", Slow.class)));
                        app.listen(0, "127.0.0.1");
                        io.gale.ioloop.IOLoop.instance().start();
                    }
                }
                """.formatted(firstLine);
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(src.resolve(name), text);
    }

    /**
     * Compiles {@code names} beside the class directory and moves each class file in whole: javac
     * writes a class file in place, and a supervisor watching the directory on a loaded machine
     * could take a half-written one for the change (a start that fails, then another), which
     * would shift the version numbers the tests expect. {@link #corruptHello} is the test of a
     * bad class file.
     */
    private void compile(String... names) throws IOException {
        Path staging = Files.createTempDirectory(classes.getParent(), "javac-");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", staging.toString(), "-cp",
                System.getProperty("java.class.path") + java.io.File.pathSeparator + classes, "-proc:none"));
        for (String n : names) {
            args.add(src.resolve(n).toString());
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int status = javac.run(null, out, out, args.toArray(String[]::new));
        assertThat(status).as("javac: %s", out.toString(StandardCharsets.UTF_8)).isZero();
        List<Path> files;
        try (java.util.stream.Stream<Path> walk = Files.walk(staging)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            Path target = classes.resolve(staging.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.move(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(staging)) {
            for (Path d : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(d);
            }
        }
    }

    /**
     * One HTTP/1.1 GET on a new connection ({@code Connection: close}), read to the end.
     *
     * @return status code and body
     */
    static Map.Entry<Integer, String> get(int port, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int space = response.indexOf(' ');
            if (!response.startsWith("HTTP/1.1 ") || space < 0) {
                throw new IOException("not an HTTP response: [" + response + "]");
            }
            int status = Integer.parseInt(response.substring(space + 1, space + 4));
            int body = response.indexOf("\r\n\r\n");
            return Map.entry(status, body < 0 ? "" : response.substring(body + 4));
        }
    }
}
