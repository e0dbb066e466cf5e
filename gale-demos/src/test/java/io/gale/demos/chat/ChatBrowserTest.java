package io.gale.demos.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.TestServer;
import io.gale.demos.testing.Conditions;
import io.gale.demos.testing.Browser;
import io.gale.ioloop.IOLoop;
import io.gale.pubsub.PubSub;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The long-polling chat in headless Chromium: two users (two browser contexts, their own cookies)
 * on the page; what one posts through the form appears in the other's window within a second,
 * markup shown as text. Takes the demo's main-page screenshot ({@code docs/demos/chat.png}, see
 * {@link Browser#demoScreenshot}).
 */
@Timeout(120)
class ChatBrowserTest {
    /** How soon a message must show in the other window (the "within a second"). */
    private static final Duration DELIVERY = Duration.ofSeconds(1);

    private static final IOLoop roomLoop = new IOLoop();
    private static PubSub bus;
    private static ChatRoom room;
    private static TestServer server;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        roomLoop.startInBackground();
        bus = PubSub.inProcess();
        room = ChatRoom.open(bus, roomLoop).join();
        server = TestServer.start(ChatDemo.application(room, false));
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
        room.close();
        bus.close();
        roomLoop.close();
    }

    /** Opens the page and waits until its long poll waits at the server. */
    private static void open(Browser.Session s, int pollsExpected) {
        s.get(server.baseUrl() + "/");
        assertThat(s.driver().getTitle()).isEqualTo("Gale Chat Demo");
        Conditions.await(() -> room.buffer().waiting() == pollsExpected,
                () -> "long polls waiting: " + room.buffer().waiting() + ", expected " + pollsExpected);
    }

    private static void say(Browser.Session s, String text) {
        WebElement input = s.find(By.id("message"));
        input.sendKeys(text);
        s.find(By.cssSelector("#messageform input[type=submit]")).click();
        // The sender sees its own message from the answer to its post.
        s.waitUntil(d -> input.getAttribute("value").isEmpty());
    }

    private static List<String> inbox(Browser.Session s) {
        return s.findAll(By.cssSelector("#inbox .message")).stream().map(WebElement::getText).toList();
    }

    /** Waits up to {@link #DELIVERY} for the last message shown in {@code s} to be {@code text}. */
    private static void awaitLast(Browser.Session s, String text) {
        s.waitUntil(DELIVERY, d -> {
            List<String> shown = inbox(s);
            return !shown.isEmpty() && shown.get(shown.size() - 1).equals(text);
        });
    }

    @Test
    void aMessagePostedInOneWindowAppearsInTheOtherAsText() {
        Browser.Session ann = browser.session();
        Browser.Session bob = browser.newSession();
        try {
            open(ann, 1);
            open(bob, 2);

            String markup = "<b>bold?</b> <img src=x onerror=\"document.title='owned'\"> & www.example.com";
            say(ann, markup);
            awaitLast(bob, markup);
            assertThat(bob.findAll(By.cssSelector("#inbox b, #inbox img"))).isEmpty();
            assertThat(bob.find(By.cssSelector("#inbox .message:last-child a")).getAttribute("href"))
                    .isEqualTo("http://www.example.com/");
            assertThat(bob.driver().getTitle()).isEqualTo("Gale Chat Demo");

            // Both ways, and each window shows each message once (its own post and the poll's copy).
            Conditions.await(() -> room.buffer().waiting() == 2, () -> "both polls waiting again");
            say(bob, "Hi Ann, your tags are safe with me.");
            awaitLast(ann, "Hi Ann, your tags are safe with me.");
            Conditions.await(() -> room.buffer().waiting() == 2, () -> "both polls waiting again");
            say(ann, "Long polling: every window waits for the next message.");
            awaitLast(bob, "Long polling: every window waits for the next message.");
            awaitLast(ann, "Long polling: every window waits for the next message.");
            assertThat(inbox(ann)).isEqualTo(inbox(bob)).doesNotHaveDuplicates().hasSize(3);

            ann.screenshot(Browser.demoScreenshot("chat"));
        } finally {
            bob.close();
        }
    }

    @Test
    void aNewcomerSeesTheCachedMessagesInThePage() {
        Browser.Session carol = browser.newSession();
        try {
            carol.get(server.baseUrl() + "/");
            List<String> shown = inbox(carol);
            assertThat(shown).containsExactlyElementsOf(room.buffer().messages().stream().map(Message::body).toList());
        } finally {
            carol.close();
        }
    }
}
