package io.gale.demos.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.testing.TestServer;
import io.gale.demos.testing.Conditions;
import io.gale.ioloop.IOLoop;
import io.gale.pubsub.PubSub;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The long-polling chat over real sockets with the JDK's HTTP client: the page and its static
 * files, XSRF on both POSTs, the message format, cursors, a waiting poll woken by a post, the
 * cache of 200, the form's redirect. The waiter bookkeeping under many clients is
 * {@link ChatWaitersTest}.
 */
@Timeout(120)
class ChatDemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final IOLoop roomLoop = new IOLoop();
    private PubSub bus;
    private ChatRoom room;
    private TestServer server;
    private ChatClient client;

    @BeforeEach
    void start() throws Exception {
        roomLoop.startInBackground();
        bus = PubSub.inProcess();
        room = ChatRoom.open(bus, roomLoop).join();
        server = TestServer.start(ChatDemo.application(room, false));
        client = ChatClient.open(server.baseUrl());
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        room.close();
        bus.close();
        roomLoop.close();
    }

    private JsonNode postMessage(String body) throws Exception {
        HttpResponse<String> r = client.post("/a/message/new", Map.of("body", body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        return JSON.readTree(r.body());
    }

    private JsonNode updates(Map<String, String> fields) throws Exception {
        HttpResponse<String> r = client.post("/a/message/updates", fields);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("messages");
    }

    /** Waits (bounded) until the buffer holds {@code n} waiters: the polls sent have reached the server. */
    private void awaitWaiting(int n) {
        Conditions.await(() -> room.buffer().waiting() == n,
                () -> "waiting long polls == " + n + " (now " + room.buffer().waiting() + ")");
    }

    /** A post is answered once its message is in the room's buffer (read your writes). */
    private void assertMessages(int n) {
        assertThat(room.buffer().messages()).hasSize(n);
    }

    @Test
    void aPostIsAnsweredAsTheMessageWithItsEscapedAndLinkifiedHtml() throws Exception {
        JsonNode m = postMessage("<b>hi</b> & \"bye\" see https://example.com/a?b=1&c=2");
        String id = m.get("id").asText();
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(m.get("body").asText()).isEqualTo("<b>hi</b> & \"bye\" see https://example.com/a?b=1&c=2");
        assertThat(m.get("html").asText()).isEqualTo("<div class=\"message\" id=\"m" + id + "\">"
                + "&lt;b&gt;hi&lt;/b&gt; &amp; &quot;bye&quot; see "
                + "<a href=\"https://example.com/a?b=1&amp;c=2\">https://example.com/a?b=1&amp;c=2</a></div>");
        List<String> names = new ArrayList<>();
        m.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "body", "html");
        // A poll without a cursor gets the cache at once.
        assertMessages(1);
        assertThat(updates(Map.of())).containsExactly(m);
    }

    @Test
    void bothPostsNeedTheXsrfToken() throws Exception {
        for (String path : List.of("/a/message/new", "/a/message/updates")) {
            HttpResponse<String> none = client.postWithoutHeader(path, Map.of("body", "x"));
            assertThat(none.statusCode()).as(path).isEqualTo(403);
            HttpResponse<String> wrong = client.postWithoutHeader(path, Map.of("body", "x", "_xsrf", "2|00000000|"
                    + "00".repeat(16) + "|1700000000"));
            assertThat(wrong.statusCode()).as(path).isEqualTo(403);
        }
        // The token in the form field (a form posted without script) is as good as the header.
        HttpResponse<String> field = client.postWithoutHeader("/a/message/new", Map.of("body", "x", "_xsrf", client.xsrf()));
        assertThat(field.statusCode()).isEqualTo(200);
        assertMessages(1);
        assertThat(room.buffer().messages()).extracting(Message::body).containsExactly("x");
    }

    @Test
    void aWaitingPollIsWokenByTheNextPost() throws Exception {
        String first = postMessage("first").get("id").asText();
        CompletableFuture<HttpResponse<String>> poll = client.postAsync("/a/message/updates", Map.of("cursor", first));
        awaitWaiting(1);
        assertThat(poll).isNotDone();

        JsonNode second = postMessage("second");
        HttpResponse<String> answer = poll.get();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("messages")).containsExactly(second);
        assertThat(room.buffer().waiting()).isZero();
    }

    @Test
    void aCursorGetsWhatFollowsItAndAnUnknownOneGetsTheCache() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(postMessage("m" + i).get("id").asText());
        }
        assertMessages(5);
        assertThat(updates(Map.of("cursor", ids.get(2)))).extracting(n -> n.get("body").asText())
                .containsExactly("m3", "m4");
        assertThat(updates(Map.of("cursor", "not-an-id"))).extracting(n -> n.get("body").asText())
                .containsExactly("m0", "m1", "m2", "m3", "m4");
    }

    @Test
    void theCacheKeepsTheLast200AndThePageShowsThem() throws Exception {
        for (int i = 0; i < 205; i++) {
            room.buffer().add(new Message(Message.newId(), "m" + i, "<div class=\"message\">m" + i + "</div>"));
        }
        List<Message> kept = room.buffer().messages();
        assertThat(kept).hasSize(MessageBuffer.CACHE_SIZE);
        assertThat(kept.get(0).body()).isEqualTo("m5");
        assertThat(kept.get(199).body()).isEqualTo("m204");
        assertThat(updates(Map.of())).hasSize(200);

        String page = client.get("/").body();
        assertThat(page).doesNotContain(">m4<").contains(">m5<", ">m204<");
    }

    @Test
    void thePageRendersTheCacheEscapedWithTheFormAndStaticFiles() throws Exception {
        postMessage("<script>alert(1)</script>");
        assertMessages(1);
        HttpResponse<String> r = client.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        String page = r.body();
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
        assertThat(page).contains("<form action=\"/a/message/new\" method=\"post\" id=\"messageform\"",
                "name=\"_xsrf\"", "<input type=\"hidden\" name=\"next\" value=\"/\">");
        assertThat(page).containsPattern("href=\"/static/chat\\.css\\?v=[0-9a-f]+\"")
                .containsPattern("src=\"/static/chat\\.js\\?v=[0-9a-f]+\"");

        HttpResponse<String> js = client.get("/static/chat.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(js.body()).contains("/a/message/updates", "X-XSRFToken");
        assertThat(client.get("/static/chat.css").statusCode()).isEqualTo(200);
    }

    @Test
    void aFormPostedWithoutScriptRedirectsToALocalNextOnly() throws Exception {
        HttpResponse<String> back = client.post("/a/message/new", Map.of("body", "from a form", "next", "/"));
        assertThat(back.statusCode()).isEqualTo(302);
        assertThat(back.headers().firstValue("Location")).hasValue("/");
        for (String evil : List.of("//evil.example/", "https://evil.example/", "/\\evil.example")) {
            HttpResponse<String> r = client.post("/a/message/new", Map.of("body", "x", "next", evil));
            assertThat(r.statusCode()).as(evil).isEqualTo(302);
            assertThat(r.headers().firstValue("Location")).as(evil).hasValue("/");
        }
        assertMessages(4);
    }

    @Test
    void aPostWithoutABodyIs400AndATooLargeOne413() throws Exception {
        assertThat(client.post("/a/message/new", Map.of()).statusCode()).isEqualTo(400);
        assertThat(client.post("/a/message/new", Map.of("body", "x".repeat(ChatDemo.MAX_BODY_SIZE))).statusCode())
                .isEqualTo(413);
        assertThat(room.buffer().messages()).isEmpty();
    }
}
