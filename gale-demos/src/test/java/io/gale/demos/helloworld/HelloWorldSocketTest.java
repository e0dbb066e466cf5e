package io.gale.demos.helloworld;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.demos.RunningServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seed's hello world over a real socket (skipped until an HTTP server is available). */
@Timeout(30)
class HelloWorldSocketTest {
    @Test
    void helloOverHttpClient() throws Exception {
        try (RunningServer server = RunningServer.start(HelloWorld.application());
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("Hello, world");
        }
    }
}
