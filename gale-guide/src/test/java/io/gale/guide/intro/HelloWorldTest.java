package io.gale.guide.intro;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.httpclient.HttpResponse;
import io.gale.testing.GaleTest;
import io.gale.testing.TestApplication;
import io.gale.testing.TestServer;
import io.gale.web.Application;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The first requests load Pebble, Jackson and the handlers on the loop: over 2 s (the default
// threshold) on a busy CI machine; blocking for real still fails the test.
@GaleTest(blockedThresholdMillis = 10_000)
@Timeout(30)
class HelloWorldTest {
    @TestApplication
    static Application app() {
        return HelloWorld.makeApp();
    }

    @Test
    void saysHello(TestServer server) {
        HttpResponse r = server.fetch("/");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("Hello, world");
    }
}
