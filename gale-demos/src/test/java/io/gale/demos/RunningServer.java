package io.gale.demos;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gale.ioloop.IOLoop;
import io.gale.web.Application;
import io.gale.web.ListeningServer;
import io.gale.web.ServerLauncher;
import java.io.IOException;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A demo application listening on 127.0.0.1 with an ephemeral port, on its own loop in the
 * background, for tests with real clients. {@link #start} skips the calling test (an assumption)
 * while no HTTP server provides {@link ServerLauncher} on the class path.
 */
public final class RunningServer implements AutoCloseable {
    private final IOLoop loop;
    private final ListeningServer server;

    private RunningServer(IOLoop loop, ListeningServer server) {
        this.loop = loop;
        this.server = server;
    }

    /** Starts {@code app} through {@code Application.listen(0, "127.0.0.1")}, as the demos' main methods do. */
    public static RunningServer start(Application app) throws Exception {
        assumeTrue(ServiceLoader.load(ServerLauncher.class).findFirst().isPresent(),
                "no HTTP server provides io.gale.web.ServerLauncher on the class path yet");
        IOLoop loop = new IOLoop();
        loop.startInBackground();
        CompletableFuture<ListeningServer> listening = new CompletableFuture<>();
        loop.addCallback(() -> {
            try {
                listening.complete(app.listen(0, "127.0.0.1"));
            } catch (IOException | RuntimeException e) {
                listening.completeExceptionally(e);
            }
        });
        try {
            return new RunningServer(loop, listening.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            loop.close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.localAddress().getPort();
    }

    @Override
    public void close() {
        server.close();
        loop.close();
    }
}
