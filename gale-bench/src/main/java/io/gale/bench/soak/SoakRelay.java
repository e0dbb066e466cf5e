package io.gale.bench.soak;

import io.gale.http.HttpServer;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.web.Application;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The soak's "client fetches from inside handlers": a Gale application whose one route,
 * {@code GET /relay/{id}}, fetches {@code /anything/relay-{id}} from the httpbin demo with the
 * loop's shared {@link AsyncHttpClient} (pooled keep-alive connections) and answers with the
 * upstream's status and body. It runs in a JVM of its own, sampled like the demo, so a leak in
 * the client (pooled connections, buffers, futures) shows in its own heap and descriptors.
 *
 * <p>{@code java -cp benchmarks.jar io.gale.bench.soak.SoakRelay --port N --upstream PORT};
 * prints {@code relay listening on 127.0.0.1:N} once accepting.
 */
public final class SoakRelay {
    private static volatile int upstream;

    private SoakRelay() {
    }

    /** Fetches from the demo inside the handler: the answer waits for the client's future. */
    public static final class Relay extends RequestHandler {
        public CompletionStage<?> get(String id) {
            return AsyncHttpClient.current().fetch("http://127.0.0.1:" + upstream + "/anything/relay-" + id)
                    .thenAccept(r -> {
                        setStatus(r.code());
                        setHeader("Content-Type", "application/json");
                        write(r.body());
                    });
        }
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--upstream" -> upstream = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (allowed: --port --upstream)");
            }
        }
        if (port < 0 || upstream <= 0) {
            throw new IllegalArgumentException("usage: SoakRelay --port N --upstream PORT");
        }
        Application app = new Application(List.of(Route.url("/relay/([0-9]+)", Relay.class)));
        HttpServer server = app.listen(port, "127.0.0.1");
        System.out.println("relay listening on 127.0.0.1:" + server.boundPorts().get(0));
        System.out.flush();
    }
}
