package io.gale.guide.structure;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.httpclient.HttpResponse;
import io.gale.testing.GaleTest;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestApplication;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import io.gale.testing.TestServer;
import io.gale.web.Application;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The first requests load Pebble, Jackson and the handlers on the loop: over 2 s (the default
// threshold) on a busy CI machine; blocking for real still fails the test.
@GaleTest(blockedThresholdMillis = 10_000)
@Timeout(30)
class BlogTest {
    @TestApplication
    final Application app = Blog.makeApp(new Blog.Store());

    @Test
    void postsAndReadsAStory(TestServer server) {
        HttpResponse created = server.fetch("/stories",
                b -> b.method("POST").header("Content-Type", "application/json").body("{\"title\":\"Hi\",\"body\":\"text\"}"));
        assertThat(created.code()).isEqualTo(201);
        assertThat(created.headers().get("Location")).isEqualTo("/story/1");
        HttpResponse story = server.fetch("/story/1");
        assertThat(story.text()).isEqualTo("{\"title\":\"Hi\",\"body\":\"text\"}");
        assertThat(server.fetch("/stories?limit=5").json().get("count").asInt()).isEqualTo(1);
        assertThat(server.fetch("/").text()).contains("href=\"/story/1\"");
        assertThat(server.fetch("/ping").text()).isEqualTo("pong");
    }

    @Test
    void errorsAreJson(InMemoryClient client) {
        TestResponse missing = client.fetch("/story/9");
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        TestResponse broken = client.fetch(TestRequest.of("POST", "/stories").body("{"));
        assertThat(broken.code()).isEqualTo(400);
        TestResponse untitled = client.fetch(TestRequest.of("POST", "/stories").body("{\"title\":\" \",\"body\":\"\"}"));
        assertThat(untitled.code()).isEqualTo(422);
        assertThat(untitled.json().get("detail").asText()).isEqualTo("a story needs a title");
    }

    @Test
    void redirects(InMemoryClient client) {
        TestResponse r = client.fetch("/oldpath?x=1");
        assertThat(r.code()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("/?x=1");
    }

    @Test
    void hooks() {
        try (InMemoryClient client = new InMemoryClient(new Application(List.of(url("/", Hooks.class))))) {
            TestResponse served = client.fetch("/?key=k");
            assertThat(served.text()).isEqualTo("served");
            assertThat(served.header("X-Frame-Options")).isEqualTo("DENY");
            TestResponse refused = client.fetch("/");
            assertThat(refused.code()).isEqualTo(401);
            assertThat(refused.text()).isEqualTo("a key is needed");
            assertThat(client.fetch(TestRequest.of("DELETE", "/?key=k")).text()).isEqualTo("sorry: 405");
        }
    }
}
