package io.gale.guide.intro;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.httpclient.HttpResponse;
import io.gale.testing.GaleTest;
import io.gale.testing.TestApplication;
import io.gale.testing.TestServer;
import io.gale.web.Application;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@GaleTest
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
