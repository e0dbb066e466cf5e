package io.gale.demos.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.TestServer;
import io.gale.demos.testing.Browser;
import io.gale.demos.testing.Conditions;
import io.gale.ioloop.IOLoop;
import io.gale.pubsub.PubSub;
import io.gale.websocket.WebSocketBroadcaster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The WebSocket chat in headless Chromium: two users (two browser contexts) with their sockets
 * open; what one sends appears in the other's window within a second, markup shown as text; a
 * newcomer gets the cached messages. Takes the demo's main-page screenshot
 * ({@code docs/demos/websocket.png}).
 */
@Timeout(120)
class WebSocketBrowserTest {
    private static final Duration DELIVERY = Duration.ofSeconds(1);

    private static final IOLoop roomLoop = new IOLoop();
    private static PubSub bus;
    private static WebSocketBroadcaster rooms;
    private static TestServer server;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        roomLoop.startInBackground();
        bus = PubSub.inProcess();
        rooms = new WebSocketBroadcaster(bus, WebSocketDemo.HISTORY);
        rooms.open(WebSocketDemo.CHANNEL, roomLoop).join();
        server = TestServer.start(WebSocketDemo.application(rooms, false));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        rooms.close();
        bus.close();
        roomLoop.close();
    }

    /** Opens the page and waits until its socket says it is connected. */
    private static void open(Browser.Session s) {
        s.get(server.baseUrl() + "/");
        assertThat(s.driver().getTitle()).isEqualTo("Gale WebSocket Chat Demo");
        s.waitUntil(d -> s.find(By.id("status")).getText().equals("connected"));
    }

    private static void say(Browser.Session s, String text) {
        WebElement input = s.find(By.id("message"));
        input.sendKeys(text);
        s.find(By.cssSelector("#messageform input[type=submit]")).click();
    }

    private static List<String> inbox(Browser.Session s) {
        return s.findAll(By.cssSelector("#inbox .message")).stream().map(WebElement::getText).toList();
    }

    private static void awaitLast(Browser.Session s, String text) {
        s.waitUntil(DELIVERY, d -> {
            List<String> shown = inbox(s);
            return !shown.isEmpty() && shown.get(shown.size() - 1).equals(text);
        });
    }

    @Test
    void aMessageSentInOneWindowAppearsInTheOtherAsText() {
        Browser.Session ann = browser.session();
        Browser.Session bob = browser.newSession();
        Browser.Session carol = null;
        try {
            open(ann);
            open(bob);
            // The page says "connected" at the 101; the server's open() may run a moment later.
            Conditions.await(() -> rooms.members(WebSocketDemo.CHANNEL) == 2,
                    () -> "sockets in the room: " + rooms.members(WebSocketDemo.CHANNEL));

            String markup = "<b>bold?</b> <img src=x onerror=\"document.title='owned'\"> & www.example.com";
            say(ann, markup);
            awaitLast(bob, markup);
            awaitLast(ann, markup);
            assertThat(bob.findAll(By.cssSelector("#inbox b, #inbox img"))).isEmpty();
            assertThat(bob.find(By.cssSelector("#inbox .message:last-child a")).getAttribute("href"))
                    .isEqualTo("http://www.example.com/");
            assertThat(bob.driver().getTitle()).isEqualTo("Gale WebSocket Chat Demo");

            say(bob, "Hi Ann, your tags are safe with me.");
            awaitLast(ann, "Hi Ann, your tags are safe with me.");
            say(ann, "WebSocket: every message is one frame, encoded once for all.");
            awaitLast(bob, "WebSocket: every message is one frame, encoded once for all.");
            awaitLast(ann, "WebSocket: every message is one frame, encoded once for all.");
            assertThat(inbox(ann)).isEqualTo(inbox(bob)).doesNotHaveDuplicates().hasSize(3);
            ann.screenshot(Browser.demoScreenshot("websocket"));

            // A newcomer's socket brings the cache.
            carol = browser.newSession();
            open(carol);
            Browser.Session c = carol;
            c.waitUntil(d -> inbox(c).size() == 3);
            assertThat(inbox(carol)).isEqualTo(inbox(ann));
        } finally {
            bob.close();
            if (carol != null) {
                carol.close();
            }
        }
    }
}
