package io.gale.guide.running;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import io.gale.httpclient.HttpClient;
import io.gale.httpclient.HttpResponse;
import io.gale.testing.GaleTesting;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ServerTest {
    @Test
    void startsFromItsOptionsAndStopsGracefully() throws Exception {
        int port = GaleTesting.unusedPort();
        HttpServer server = Server.start("--port=" + port, "--behind-proxy");
        try (HttpClient client = new HttpClient()) {
            HttpResponse r = client.fetch(io.gale.httpclient.HttpRequest.newBuilder("http://127.0.0.1:" + port + "/")
                    .header("X-Real-IP", "203.0.113.7").build());
            assertThat(r.text()).isEqualTo("Hello from 203.0.113.7");
            assertThat(Server.PORT.get()).isEqualTo(port);
            assertThat(Server.DEBUG.get()).isFalse();
        } finally {
            GaleTesting.await(server.shutdown(Duration.ofSeconds(5)));
        }
    }
}
