package io.gale.demos.websocket;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.testing.TestServer;
import io.gale.demos.testing.Conditions;
import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import io.gale.pubsub.PubSub;
import io.gale.websocket.CompressionOptions;
import io.gale.websocket.WebSocketBroadcaster;
import io.gale.websocket.WebSocketClient;
import io.gale.websocket.WebSocketClientConnection;
import io.gale.websocket.WebSocketClientOptions;
import io.gale.websocket.WebSocketMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The WebSocket chat demo over real sockets with Gale's WebSocketClient: a message from one client
 * reaches both, escaped; a newcomer receives the cache; the cache keeps the last 200; bad input
 * closes with 1003; the page and its script are served.
 */
@Timeout(60)
class WebSocketDemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final IOLoop loop = new IOLoop();
    private final IOLoop roomLoop = new IOLoop();
    private PubSub bus;
    private WebSocketBroadcaster rooms;
    private TestServer server;
    private final List<WebSocketClientConnection> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        roomLoop.startInBackground();
        bus = PubSub.inProcess();
        rooms = new WebSocketBroadcaster(bus, WebSocketDemo.HISTORY);
        rooms.open(WebSocketDemo.CHANNEL, roomLoop).get(10, SECONDS);
        server = TestServer.start(WebSocketDemo.application(rooms, false));
        loop.startInBackground();
    }

    @AfterEach
    void stop() throws Exception {
        for (WebSocketClientConnection c : clients) {
            c.close();
            c.closeFuture().get(10, SECONDS);
        }
        server.close();
        loop.close();
        rooms.close();
        bus.close();
        roomLoop.close();
    }

    private WebSocketClientConnection connect(CompressionOptions compression) throws Exception {
        WebSocketClientOptions options = WebSocketClientOptions.builder()
                .connect(ConnectOptions.builder().loop(loop).build()).compression(compression).build();
        WebSocketClientConnection c = WebSocketClient.connect(
                URI.create(server.baseUrl().replace("http://", "ws://") + "/chatsocket"), options).get(10, SECONDS);
        clients.add(c);
        return c;
    }

    private static JsonNode read(WebSocketClientConnection c) throws Exception {
        WebSocketMessage m = c.readMessage().get(10, SECONDS);
        assertThat(m).isNotNull();
        assertThat(m.isText()).isTrue();
        return JSON.readTree(m.text());
    }

    private static String send(String body) {
        return JSON.createObjectNode().put("body", body).toString();
    }

    @Test
    void aMessageReachesEveryClientEscapedAndANewcomerGetsTheCache() throws Exception {
        WebSocketClientConnection ann = connect(null);
        WebSocketClientConnection bob = connect(CompressionOptions.defaults());
        // bob may join after the warm-up is posted (open runs after the 101): then it comes
        // from the cache. Either way each client gets it exactly once.
        ann.writeMessage(send("warm-up"));
        read(ann);
        read(bob);

        ann.writeMessage(send("<b>hi</b> & \"bye\""));
        JsonNode toAnn = read(ann);
        JsonNode toBob = read(bob);
        assertThat(toBob).isEqualTo(toAnn);
        String id = toAnn.get("id").asText();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(toAnn.get("body").asText()).isEqualTo("<b>hi</b> & \"bye\"");
        assertThat(toAnn.get("html").asText()).isEqualTo(
                "<div class=\"message\" id=\"m" + id + "\">&lt;b&gt;hi&lt;/b&gt; &amp; &quot;bye&quot;</div>");

        bob.writeMessage(send("from bob"));
        assertThat(read(ann).get("body").asText()).isEqualTo("from bob");
        assertThat(read(bob).get("body").asText()).isEqualTo("from bob");

        WebSocketClientConnection carol = connect(null);
        assertThat(read(carol).get("body").asText()).isEqualTo("warm-up");
        assertThat(read(carol).get("id").asText()).isEqualTo(id);
        assertThat(read(carol).get("body").asText()).isEqualTo("from bob");
        carol.writeMessage(send("carol here"));
        for (WebSocketClientConnection c : List.of(ann, bob, carol)) {
            assertThat(read(c).get("body").asText()).isEqualTo("carol here");
        }
    }

    @Test
    void theCacheKeepsTheLast200InOrder() throws Exception {
        for (int i = 0; i < 205; i++) {
            rooms.publish(WebSocketDemo.CHANNEL, send("m" + i));
        }
        Conditions.await(() -> rooms.history(WebSocketDemo.CHANNEL).size() == WebSocketDemo.HISTORY
                && rooms.history(WebSocketDemo.CHANNEL).get(WebSocketDemo.HISTORY - 1).text().contains("m204"),
                () -> "the history holds the last 200 of 205");
        WebSocketClientConnection c = connect(null);
        for (int i = 5; i < 205; i++) {
            assertThat(read(c).get("body").asText()).isEqualTo("m" + i);
        }
    }

    @Test
    void inputThatIsNotAChatMessageClosesWith1003() throws Exception {
        for (String bad : new String[] {"not json", "{\"text\": \"x\"}", "{\"body\": 5}", "[]"}) {
            WebSocketClientConnection c = connect(null);
            c.writeMessage(bad);
            assertThat(c.readMessage().get(10, SECONDS)).as(bad).isNull();
            assertThat(c.closeCode()).as(bad).isEqualTo(1003);
        }
        WebSocketClientConnection c = connect(null);
        c.writeMessage(new byte[] {1});
        assertThat(c.readMessage().get(10, SECONDS)).isNull();
        assertThat(c.closeCode()).isEqualTo(1003);
        assertThat(rooms.history(WebSocketDemo.CHANNEL)).isEmpty();
    }

    @Test
    void thePageIsServed() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
            assertThat(r.body()).contains("<form id=\"messageform\"", "<script src=\"/static/chat.js?v=");
            HttpResponse<String> js = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/static/chat.js"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.body()).contains("/chatsocket");
        }
    }

    @Test
    void theMessageHtmlEscapesTheBodyAndLinksUrls() throws Exception {
        WebSocketClientConnection c = connect(null);
        c.writeMessage(send("a<b>&\"c' see http://example.com/x?a=1&b=2"));
        JsonNode chat = read(c);
        assertThat(chat.get("body").asText()).isEqualTo("a<b>&\"c' see http://example.com/x?a=1&b=2");
        assertThat(chat.get("html").asText()).isEqualTo("<div class=\"message\" id=\"m" + chat.get("id").asText()
                + "\">a&lt;b&gt;&amp;&quot;c&#39; see <a href=\"http://example.com/x?a=1&amp;b=2\">"
                + "http://example.com/x?a=1&amp;b=2</a></div>");
    }
}
