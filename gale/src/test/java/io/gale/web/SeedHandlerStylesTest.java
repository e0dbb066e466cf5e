package io.gale.web;

import static io.gale.concurrent.Coroutines.await;
import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.concurrent.Futures;
import io.gale.http.HttpServer;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's handler styles end to end, as the README shows them: a front application whose
 * handlers fetch from a backend with {@link AsyncHttpClient}, both served by {@link HttpServer}
 * on every core, driven by the JDK's HTTP client.
 */
@Timeout(60)
class SeedHandlerStylesTest {
    static HttpServer backend;
    static HttpServer front;
    static String backendUrl;
    static final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Hello world, synchronous, on the loop. */
    public static final class MainHandler extends RequestHandler {
        public void get() {
            write("Hello, world");
        }
    }

    /** (1) Callback style: finishes itself from the fetch's callback (Tornado's @asynchronous). */
    public static final class CallbackHandler extends RequestHandler {
        @Asynchronous
        public void get() {
            AsyncHttpClient.current().fetch(backendUrl + "/a").thenAccept(response -> {
                write("callback got " + response.text());
                finish();
            });
        }
    }

    /** (2) Future style: the response finishes when the returned stage completes. */
    public static final class FutureHandler extends RequestHandler {
        public CompletionStage<?> get() {
            return AsyncHttpClient.current().fetch(backendUrl + "/a")
                    .thenAccept(response -> write("future got " + response.text()));
        }
    }

    /** (3) Task style: a callback-taking API wrapped into a future (the seed's gen.Task). */
    public static final class TaskHandler extends RequestHandler {
        static void legacyFetch(String url, Consumer<HttpResponse> callback) {
            AsyncHttpClient.current().fetch(url).thenAccept(callback);
        }

        public CompletionStage<?> get() {
            CompletableFuture<HttpResponse> task = Futures.fromCallback(cb -> legacyFetch(backendUrl + "/b", cb));
            return task.thenAccept(response -> write("task got " + response.text()));
        }
    }

    /** (4) Coroutine style on a virtual thread, and several requests at once. */
    @RunOnVirtualThread
    public static final class CoroutineHandler extends RequestHandler {
        public void get() {
            AsyncHttpClient client = AsyncHttpClient.current();
            HttpResponse one = await(client.fetch(backendUrl + "/a"));
            List<HttpResponse> both = await(Futures.all(client.fetch(backendUrl + "/a"), client.fetch(backendUrl + "/b")));
            write("coroutine got " + one.text() + " then " + both.get(0).text() + "+" + both.get(1).text());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Application back = new Application(List.of());
        back.get("/a", h -> h.write("alpha"));
        back.get("/b", h -> h.write("beta"));
        backend = back.listen(0, "127.0.0.1");
        backendUrl = "http://127.0.0.1:" + backend.boundPorts().get(0);
        front = new Application(List.of(
                url("/", MainHandler.class),
                url("/callback", CallbackHandler.class),
                url("/future", FutureHandler.class),
                url("/task", TaskHandler.class),
                url("/coroutine", CoroutineHandler.class))).listen(0, "127.0.0.1");
    }

    @AfterAll
    static void stop() {
        front.close();
        backend.close();
    }

    private static String get(String path) throws Exception {
        var r = jdk.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.boundPorts().get(0) + path)).build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    @Test
    void everyStyleAnswersOverRealSockets() throws Exception {
        assertThat(get("/")).isEqualTo("Hello, world");
        // Several times each, so requests land on different loops of the group.
        for (int i = 0; i < 4; i++) {
            assertThat(get("/callback")).isEqualTo("callback got alpha");
            assertThat(get("/future")).isEqualTo("future got alpha");
            assertThat(get("/task")).isEqualTo("task got beta");
            assertThat(get("/coroutine")).isEqualTo("coroutine got alpha then alpha+beta");
        }
    }
}
