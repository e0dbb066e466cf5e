package io.gale.testing;

import io.gale.http.HttpServerConnectionDelegate;
import io.gale.http.HttpServerOptions;
import io.gale.ioloop.BlockedLoopReport;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@link GaleExtension} makes for one test (or one class): a loop whose watchdog reports to
 * the extension, and, when first asked for, the served application and an in-memory client on
 * that loop. Thread-safe (the watchdog reports from its own thread).
 */
final class ServedScope implements AutoCloseable {
    private final IOLoop loop;
    private final Supplier<HttpServerConnectionDelegate> app;
    private final Supplier<HttpServerOptions> options;
    private final List<BlockedLoopReport> blocked = new ArrayList<>();
    private HttpServerConnectionDelegate application;
    private TestServer server;
    private InMemoryClient memory;

    ServedScope(String name, long blockedThresholdMillis, Supplier<HttpServerConnectionDelegate> app,
            Supplier<HttpServerOptions> options) {
        this.app = app;
        this.options = options;
        IOLoopOptions o = IOLoopOptions.builder().name("gale-test-" + name).daemon(true)
                .blockedThreshold(Duration.ofMillis(blockedThresholdMillis)).onBlocked(this::blocked).build();
        loop = new IOLoop(o);
        loop.startInBackground();
    }

    private void blocked(BlockedLoopReport report) {
        BlockedLoopReport.log(report);
        synchronized (blocked) {
            blocked.add(report);
        }
    }

    /** The watchdog's reports since the last call. */
    List<BlockedLoopReport> takeBlockedReports() {
        synchronized (blocked) {
            List<BlockedLoopReport> r = List.copyOf(blocked);
            blocked.clear();
            return r;
        }
    }

    IOLoop loop() {
        return loop;
    }

    private synchronized HttpServerConnectionDelegate application() {
        if (application == null) {
            application = app.get();
        }
        return application;
    }

    synchronized TestServer server() {
        if (server == null) {
            server = TestServer.builder(application()).options(options.get()).loop(loop).start();
        }
        return server;
    }

    synchronized InMemoryClient memory() {
        if (memory == null) {
            memory = new InMemoryClient(application(), loop);
        }
        return memory;
    }

    @Override
    public void close() {
        TestServer s;
        synchronized (this) {
            s = server;
        }
        if (s != null) {
            s.close();
        }
        loop.addCallback(loop::close); // after the closes queued on it
    }
}
