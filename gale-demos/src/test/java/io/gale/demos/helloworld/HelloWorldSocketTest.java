package io.gale.demos.helloworld;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.GaleTest;
import io.gale.testing.TestApplication;
import io.gale.testing.TestServer;
import io.gale.web.Application;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seed's hello world over a real socket: Gale's client and the JDK's as an independent peer. */
@GaleTest
@Timeout(30)
class HelloWorldSocketTest {
    @TestApplication
    final Application app = HelloWorld.application();

    @Test
    void helloOverGalesClient(TestServer server) {
        io.gale.httpclient.HttpResponse r = server.fetch("/");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("Hello, world");
    }

    @Test
    void helloOverTheJdkClient(TestServer server) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url("/")))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("Hello, world");
        }
    }
}
