package io.gale.web;

import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StreamingBodyTest {
    /** What a streaming handler saw, shared with the test thread. */
    static final class Probe {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<CompletableFuture<Void>> pending = new LinkedBlockingQueue<>();

        String next() throws InterruptedException {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        }
    }

    @StreamRequestBody
    static class Upload extends RequestHandler {
        final Probe probe;
        private long total;

        Upload(Probe probe) {
            this.probe = probe;
        }

        @Override
        protected void prepare() {
            probe.events.add("prepare body=" + request().body().length);
        }

        @Override
        protected CompletionStage<?> dataReceived(ByteBuffer chunk) {
            total += chunk.remaining();
            probe.events.add("data " + StandardCharsets.UTF_8.decode(chunk));
            CompletableFuture<Void> f = new CompletableFuture<>();
            probe.pending.add(f);
            return f;
        }

        public void put() {
            probe.events.add("put");
            write("got " + total);
        }
    }

    @RunOnVirtualThread
    static final class VirtualUpload extends Upload {
        VirtualUpload(Probe probe) {
            super(probe);
        }

        @Override
        protected CompletionStage<?> dataReceived(ByteBuffer chunk) {
            ByteBuffer keep = chunk; // a copy on virtual threads: safe to read after returning
            CompletionStage<?> stage = super.dataReceived(keep.duplicate());
            io.gale.concurrent.Coroutines.await(stage);
            probe.events.add("kept " + StandardCharsets.UTF_8.decode(keep));
            return null;
        }
    }

    @StreamRequestBody
    interface Streaming {
    }

    static final class ViaInterface extends RequestHandler implements Streaming {
        private int pieces;

        @Override
        protected CompletionStage<?> dataReceived(ByteBuffer chunk) {
            pieces++;
            return null;
        }

        public void post() {
            write(pieces + " pieces, body=" + request().body().length);
        }
    }

    @Test
    void annotationOnAnInterfaceCounts() {
        Application app = new Application(List.of(url("/i", ViaInterface::new)));
        try (InMemoryClient c = new InMemoryClient(app)) {
            assertThat(c.fetch(TestRequest.of("POST", "/i").body("a").body("b").body("c")).text())
                    .isEqualTo("3 pieces, body=0");
        }
    }

    public static final class Buffered extends RequestHandler {
        public void post() {
            write(request().body().length + ":" + getBodyArgument("k"));
        }
    }

    /** Runs an empty task on the loop and waits for it: everything queued before it has run. */
    private static void drainLoop(InMemoryClient c) {
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        c.loop().addCallback(() -> barrier.complete(null));
        barrier.join();
    }

    private void checkBackpressure(Class<? extends Upload> type) throws Exception {
        Probe probe = new Probe();
        Application app = new Application(List.of(url("/up", () -> type == Upload.class ? new Upload(probe)
                : new VirtualUpload(probe))));
        try (InMemoryClient c = new InMemoryClient(app)) {
            InMemoryClient.Exchange ex = c.start(TestRequest.of("PUT", "/up").body("aa").body("bbb").body("c"));
            assertThat(probe.next()).isEqualTo("prepare body=0");
            assertThat(probe.next()).isEqualTo("data aa");
            for (String expected : List.of("bbb", "c")) {
                drainLoop(c);
                assertThat(probe.events).as("no next piece while the stage is pending").isEmpty();
                probe.pending.take().complete(null);
                if (type == VirtualUpload.class) {
                    assertThat(probe.next()).startsWith("kept ");
                }
                assertThat(probe.next()).isEqualTo("data " + expected);
            }
            assertThat(ex.response().isDone()).isFalse();
            probe.pending.take().complete(null);
            if (type == VirtualUpload.class) {
                assertThat(probe.next()).isEqualTo("kept c");
            }
            assertThat(probe.next()).isEqualTo("put");
            TestResponse r = ex.response().get(10, TimeUnit.SECONDS);
            assertThat(r.text()).isEqualTo("got 6");
            assertThat(r.violations()).isEmpty();
        }
    }

    @Test
    void loopHandlerGetsTheBodyPieceByPieceWithFlowControl() throws Exception {
        checkBackpressure(Upload.class);
    }

    @Test
    void virtualThreadHandlerGetsCopiesWithFlowControl() throws Exception {
        checkBackpressure(VirtualUpload.class);
    }

    @Test
    void streamingHandlerThatFailsInPrepareAnswersAtOnce() {
        @StreamRequestBody
        final class Refuse extends RequestHandler {
            @Override
            protected void prepare() {
                throw new HttpError(401);
            }

            public void put() {
                write("unreachable");
            }
        }
        Application app = new Application(List.of(url("/up", Refuse::new)));
        try (InMemoryClient c = new InMemoryClient(app)) {
            assertThat(c.fetch(TestRequest.of("PUT", "/up").body("x").body("y")).code()).isEqualTo(401);
        }
    }

    @Test
    void nonStreamingHandlerGetsTheWholeBodyParsed() {
        Application app = new Application(List.of(url("/b", Buffered.class)));
        try (InMemoryClient c = new InMemoryClient(app)) {
            TestRequest r = TestRequest.post("/b", "k=v").body("al").body("ue").chunked();
            assertThat(c.fetch(r).text()).isEqualTo("7:value");
        }
    }
}
