package io.gale.web;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A static-file server in a JVM of its own, for {@link StaticFileLargeTest}: serves the directory
 * given as the first argument under /static/ on 127.0.0.1 (an ephemeral port, printed as
 * {@code PORT n}) from one loop, plus {@code /stats}: the live heap after a collection and the
 * bytes the loop thread allocated so far.
 */
public final class StaticServerMain {
    private StaticServerMain() {
    }

    /** Measures the serving JVM; runs on the loop thread, so that thread's allocation is the loop's. */
    public static final class Stats extends RequestHandler {
        public void get() {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long allocated = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                    .getThreadAllocatedBytes(Thread.currentThread().threadId());
            write(Map.of("heap", heap, "loopAllocated", allocated,
                    "maxHeap", Runtime.getRuntime().maxMemory()));
        }
    }

    public static void main(String[] args) throws Exception {
        Application app = new Application(List.of(Route.url("/stats", Stats.class)),
                ApplicationSettings.builder().staticPath(Path.of(args[0])).build());
        IOLoop loop = new IOLoop(IOLoopOptions.builder().name("static-server").build());
        loop.startInBackground();
        HttpServer server = new HttpServer(app, HttpServerOptions.defaults());
        server.bind(0, "127.0.0.1");
        server.start(loop);
        System.out.println("PORT " + server.boundPorts().get(0));
        System.out.flush();
        // serves until the test destroys the process; stdin's end (the test gone) also ends it
        System.in.read();
        System.exit(0);
    }
}
