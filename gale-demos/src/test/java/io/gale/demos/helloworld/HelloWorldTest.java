package io.gale.demos.helloworld;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.demos.InMemoryHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class HelloWorldTest {
    @Test
    void getSaysHelloWorld() {
        try (InMemoryHttp http = new InMemoryHttp(HelloWorld.application())) {
            InMemoryHttp.Response r = http.fetch("/");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("Hello, world");
            assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=UTF-8");
            assertThat(r.violations()).isEmpty();
        }
    }

    @Test
    void otherPathsAndMethodsAreRefused() {
        try (InMemoryHttp http = new InMemoryHttp(HelloWorld.application())) {
            assertThat(http.fetch("/nope").status()).isEqualTo(404);
            InMemoryHttp.Response post = http.fetch(InMemoryHttp.Request.of("POST", "/").body("x"));
            assertThat(post.status()).isEqualTo(405);
            assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
        }
    }
}
