package io.gale.demos.helloworld;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.GaleTest;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestApplication;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import io.gale.web.Application;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hello world in memory (no socket), through gale-testing's extension. */
@GaleTest
@Timeout(20)
class HelloWorldTest {
    @TestApplication
    static Application app() {
        return HelloWorld.application();
    }

    @Test
    void getSaysHelloWorld(InMemoryClient http) {
        TestResponse r = http.fetch("/");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("Hello, world");
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=UTF-8");
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void otherPathsAndMethodsAreRefused(InMemoryClient http) {
        assertThat(http.fetch("/nope").code()).isEqualTo(404);
        TestResponse post = http.fetch(TestRequest.of("POST", "/").body("x"));
        assertThat(post.code()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
    }
}
