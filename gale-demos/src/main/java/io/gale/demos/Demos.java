package io.gale.demos;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of {@code ./gale-demo NAME [args]}: maps a demo name to its main class. Every demo
 * takes {@code --port N} and prints one line {@code listening on HOST:PORT} once it serves.
 */
public final class Demos {
    /** Demo name → main class; one line each, read by ./gale-demo --help. */
    static final Map<String, String> DEMOS = new LinkedHashMap<>();

    static {
        DEMOS.put("bench", "io.gale.demos.bench.BenchDemo");
        DEMOS.put("chat", "io.gale.demos.chat.ChatDemo");
        DEMOS.put("helloworld", "io.gale.demos.helloworld.HelloWorld");
        DEMOS.put("httpbin", "io.gale.demos.httpbin.HttpBin");
        DEMOS.put("tcpecho", "io.gale.demos.tcpecho.TcpEchoDemo");
        DEMOS.put("webspider", "io.gale.demos.webspider.WebSpiderDemo");
    }

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

    public static void main(String[] args) throws Throwable {
        if (args.length == 0 || !DEMOS.containsKey(args[0])) {
            System.err.println("usage: ./gale-demo NAME [--port N] [args...]; demos: " + String.join(", ", DEMOS.keySet()));
            System.exit(2);
        }
        Class<?> demo = Class.forName(DEMOS.get(args[0]));
        Method main = demo.getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
