package io.gale.demos.deploy;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import io.gale.websocket.WebSocketClient;
import io.gale.websocket.WebSocketClientConnection;
import io.gale.websocket.WebSocketClientOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example deployment ({@code gale-demos/deploy/run-chat-cluster}) run as a user runs it: one
 * script starts redis-server, two chat and two WebSocket chat processes (here with the test's
 * class path instead of {@code ./gale-demo}) and Debian's nginx in front. Both chats are then
 * driven through nginx only: requests of one client land on both processes (nginx's
 * {@code X-Upstream} header says which), and every message reaches every client whichever
 * process holds it; WebSockets pass nginx's upgrade proxying.
 */
@Timeout(240)
class ChatDeploymentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern READY = Pattern.compile("ready: chat (\\S+) websocket (\\S+)");

    @TempDir
    static Path dir;
    private static Process cluster;
    private static final ArrayDeque<String> output = new ArrayDeque<>();
    private static String chatUrl;
    private static String websocketUrl;

    @BeforeAll
    static void start() throws Exception {
        Path script = repositoryRoot().resolve("gale-demos/deploy/run-chat-cluster");
        String java = Path.of(System.getProperty("java.home"), "bin", "java") + " -Xmx192m -XX:+UseSerialGC"
                + " -XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp " + System.getProperty("java.class.path")
                + " io.gale.demos.Demos";
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "--port", "0", "--broker", "redis",
                "--dir", dir.toString()).redirectErrorStream(true);
        pb.environment().put("GALE_DEMO_CMD", java);
        cluster = pb.start();
        CompletableFuture<Matcher> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("cluster-output").start(() -> {
            try (BufferedReader r = cluster.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.addLast(line);
                    }
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.complete(m);
                    }
                }
            } catch (IOException e) {
                // the script ended
            }
            ready.completeExceptionally(new IllegalStateException("run-chat-cluster ended: " + output));
        });
        Matcher m = ready.get(180, SECONDS);
        chatUrl = m.group(1).replaceAll("/$", "");
        websocketUrl = m.group(2).replaceAll("/$", "");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster == null) {
            return;
        }
        List<ProcessHandle> children = cluster.descendants().toList();
        cluster.destroy(); // SIGTERM: the script's trap stops everything it started
        assertThat(cluster.waitFor(60, SECONDS)).as("the script ends on SIGTERM").isTrue();
        for (ProcessHandle child : children) {
            child.onExit().get(30, SECONDS); // none is left behind
        }
    }

    private static Path repositoryRoot() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isDirectory(d.resolve("gale-demos/deploy"))) {
            d = d.getParent();
        }
        if (d == null) {
            throw new IllegalStateException("no gale-demos/deploy above " + Path.of("").toAbsolutePath());
        }
        return d;
    }

    // ------------------------------------------------------------------------ long polling

    /** A browser-like client of the long-polling chat through nginx (cookies kept by hand). */
    private static final class Poller {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final String xsrf;

        Poller() throws Exception {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(chatUrl + "/"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("_xsrf="))
                    .findFirst().orElseThrow();
            xsrf = cookie.substring(6, cookie.indexOf(';'));
        }

        HttpResponse<String> post(String path, String form) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(chatUrl + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", "_xsrf=" + xsrf).header("X-XSRFToken", xsrf)
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void theLongPollingChatWorksThroughNginxWhicheverProcessAnswers() throws Exception {
        Poller ann = new Poller();
        Poller bob = new Poller();
        // Bob polls (his polls go wherever nginx sends them); Ann posts until her posts have been
        // answered by both processes. Every message must reach Bob.
        Set<String> postedBy = new HashSet<>();
        List<String> posted = new ArrayList<>();
        LinkedBlockingQueue<String> bobGot = new LinkedBlockingQueue<>();
        Set<String> pollsAnsweredBy = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread bobPolls = Thread.ofPlatform().daemon().start(() -> {
            String cursor = "";
            try {
                while (true) {
                    HttpResponse<String> r = bob.post("/a/message/updates", cursor.isEmpty() ? "" : "cursor=" + cursor);
                    r.headers().firstValue("X-Upstream").ifPresent(pollsAnsweredBy::add);
                    if (r.statusCode() != 200) {
                        continue;
                    }
                    for (JsonNode m : JSON.readTree(r.body()).get("messages")) {
                        cursor = m.get("id").asText();
                        bobGot.add(m.get("body").asText());
                    }
                }
            } catch (Exception e) {
                // interrupted at the end of the test
            }
        });
        try {
            for (int i = 0; i < 20 && (postedBy.size() < 2 || pollsAnsweredBy.size() < 2); i++) {
                String body = "message " + i + " <through nginx>";
                HttpResponse<String> r = ann.post("/a/message/new", "body=" + java.net.URLEncoder.encode(body,
                        StandardCharsets.UTF_8));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                postedBy.add(r.headers().firstValue("X-Upstream").orElseThrow());
                posted.add(body);
                // Bob has it before Ann posts the next one (a bounded wait on his queue).
                assertThat(awaitBody(bobGot, body)).as("Bob got " + body).isTrue();
            }
            assertThat(postedBy).as("processes that took Ann's posts").hasSize(2);
            assertThat(pollsAnsweredBy).as("processes that answered Bob's polls").hasSize(2);
        } finally {
            bobPolls.interrupt();
        }
    }

    private static boolean awaitBody(LinkedBlockingQueue<String> queue, String body) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String got = queue.poll(1, SECONDS);
            if (body.equals(got)) {
                return true;
            }
        }
        return false;
    }

    // -------------------------------------------------------------------------- WebSocket

    @Test
    void theWebSocketChatWorksThroughNginxAcrossBothProcesses() throws Exception {
        IOLoop loop = new IOLoop();
        loop.startInBackground();
        List<WebSocketClientConnection> clients = new ArrayList<>();
        List<LinkedBlockingQueue<JsonNode>> inboxes = new ArrayList<>();
        Set<String> upstreams = new HashSet<>();
        try {
            for (int i = 0; i < 4; i++) {
                LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
                WebSocketClientOptions options = WebSocketClientOptions.builder()
                        .connect(ConnectOptions.builder().loop(loop).build())
                        .onMessage(m -> {
                            try {
                                inbox.add(JSON.readTree(m.text()));
                            } catch (IOException e) {
                                throw new AssertionError(e);
                            }
                            return null;
                        }).build();
                WebSocketClientConnection c = WebSocketClient.connect(
                        URI.create(websocketUrl.replace("http://", "ws://") + "/chatsocket"), options).get(30, SECONDS);
                String upstream = c.headers().get("X-Upstream");
                if (upstream != null) {
                    upstreams.add(upstream);
                }
                clients.add(c);
                inboxes.add(inbox);
            }
            // Round robin over fresh connections: two sockets on each process.
            assertThat(upstreams).as("processes behind the sockets").hasSize(2);

            // Each client says something once it is in the room; everyone hears everyone.
            for (int i = 0; i < clients.size(); i++) {
                String hello = "hello from client " + i;
                clients.get(i).writeMessage(JSON.createObjectNode().put("body", hello).toString());
                for (LinkedBlockingQueue<JsonNode> inbox : inboxes) {
                    assertThat(awaitJson(inbox, hello)).as("everyone hears " + hello).isTrue();
                }
            }
        } finally {
            for (WebSocketClientConnection c : clients) {
                c.close();
            }
            loop.close();
        }
    }

    private static boolean awaitJson(LinkedBlockingQueue<JsonNode> inbox, String body) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode m = inbox.poll(1, TimeUnit.SECONDS);
            if (m != null && m.has("body") && m.get("body").asText().equals(body)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void thePageAndItsStaticFilesComeThroughNginx() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String base : List.of(chatUrl, websocketUrl)) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            Matcher js = Pattern.compile("src=\"(/static/chat\\.js\\?v=[0-9a-f]+)\"").matcher(page.body());
            assertThat(js.find()).isTrue();
            HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(base + js.group(1))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age"));
        }
    }
}
