package io.gale.demos.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.demos.DemoOptions;
import io.gale.demos.testing.Conditions;
import io.gale.demos.testing.DemoProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM to a demo process with 1,000 clients held open drains it: every WebSocket of the
 * {@code websocket} demo receives close 1001 Going Away, every long poll of the {@code chat} demo
 * is answered 503 with {@code Retry-After}, and the process exits by itself (status 143) after
 * printing {@code drained}. A drain cut by its deadline would show instead: the server closes
 * what is left at the deadline, and a client would see its connection reset (WebSocket 1006, an
 * I/O error for a poll), not a close frame or an answer. Readiness is checked before; the
 * servers' own counters ({@code /metrics}) tell when all 1,000 are held on the server side.
 *
 * <p>Descriptors: 1,000 sockets each side, in two processes (well under 20,000 each).
 */
@Timeout(300)
class DrainOnTermTest {
    private static final int N = 1000;
    /** The demo's drain deadline plus room for the JVM's exit: a bound, not a measurement. */
    private static final Duration EXIT_LIMIT = DemoOptions.DRAIN_DEADLINE.plusSeconds(30);

    private static String scrape(HttpClient http, DemoProcess demo) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(demo.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(HttpClient http, DemoProcess demo, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(demo.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void sigtermClosesEveryWebSocketWithGoingAway() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (DemoProcess demo = DemoProcess.start("websocket"); http) {
            List<CompletableFuture<Integer>> closes = new ArrayList<>();
            List<CompletableFuture<WebSocket>> opens = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                CompletableFuture<Integer> code = new CompletableFuture<>();
                closes.add(code);
                opens.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + demo.port() + "/chatsocket"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                ws.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                                code.complete(statusCode);
                                return null; // the JDK answers the close frame
                            }

                            @Override
                            public void onError(WebSocket ws, Throwable error) {
                                code.completeExceptionally(error);
                            }
                        }));
            }
            CompletableFuture.allOf(opens.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            Conditions.await(() -> {
                try {
                    return scrape(http, demo).contains("gale_connections_open{kind=\"websocket\"} " + N + ".0");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, () -> "1,000 WebSockets open on the server");
            assertThat(status(http, demo, "/readyz")).isEqualTo(200);

            int exit = demo.terminate(EXIT_LIMIT);

            int goingAway = 0;
            for (CompletableFuture<Integer> c : closes) {
                if (c.get(30, TimeUnit.SECONDS) == 1001) {
                    goingAway++;
                }
            }
            assertThat(goingAway).isEqualTo(N);
            assertThat(exit).isEqualTo(143);
            assertThat(demo.standardOutput()).as(demo::outputTail).contains("websocket: draining", "websocket: drained in");
        }
    }

    @Test
    void sigtermAnswersEveryLongPollWithRetryAfter() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (DemoProcess demo = DemoProcess.start("chat"); http; ChatClient chat = ChatClient.open(demo.baseUrl())) {
            List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                polls.add(chat.postAsync("/a/message/updates", Map.of("cursor", "")));
            }
            Conditions.await(() -> {
                try {
                    return scrape(http, demo).contains("chat_polls_waiting " + N + ".0");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, () -> "1,000 long polls waiting on the server");
            assertThat(status(http, demo, "/readyz")).isEqualTo(200);

            int exit = demo.terminate(EXIT_LIMIT);

            int retryLater = 0;
            for (CompletableFuture<HttpResponse<String>> p : polls) {
                HttpResponse<String> r = p.get(30, TimeUnit.SECONDS);
                if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").orElse("").equals("1")) {
                    retryLater++;
                }
            }
            assertThat(retryLater).isEqualTo(N);
            assertThat(exit).isEqualTo(143);
            assertThat(demo.standardOutput()).as(demo::outputTail).contains("chat: draining", "chat: drained in");
        }
    }
}
