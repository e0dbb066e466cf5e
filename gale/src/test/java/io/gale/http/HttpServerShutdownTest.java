package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.HttpServerTesting.RawClient;
import io.gale.http.HttpServerTesting.Response;
import io.gale.http.HttpServerTesting.Running;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Graceful stop: in-flight requests finish, idle connections close, new ones are refused. */
@Timeout(30)
class HttpServerShutdownTest {
    private static final int N = 5;

    @Test
    void inFlightRequestsCompleteAndIdleConnectionsClose() throws Exception {
        ConcurrentLinkedQueue<HttpExchange> waiting = new ConcurrentLinkedQueue<>();
        CountDownLatch arrived = new CountDownLatch(N);
        HttpServerConnectionDelegate app = HttpServerTesting.buffering((req, body, c) -> {
            if (req.path().equals("/slow")) {
                waiting.add(c);
                arrived.countDown();
            } else {
                HttpServerTesting.respond(c, 200, "now");
            }
        });
        try (Running s = HttpServerTesting.start(app)) {
            RawClient idle = s.client();
            idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(idle.readResponse().status()).isEqualTo(200);
            List<RawClient> slow = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                RawClient c = s.client();
                c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
                slow.add(c);
            }
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

            var done = s.server.shutdown(Duration.ofSeconds(20));
            assertThat(idle.isClosedByServer()).isTrue();
            assertThatThrownBy(() -> new Socket("127.0.0.1", s.port).close()).isInstanceOf(ConnectException.class);
            assertThat(done).isNotDone();

            s.loop.addCallback(() -> waiting.forEach(c -> HttpServerTesting.respond(c, 200, "late")));
            for (RawClient c : slow) {
                Response r = c.readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.text()).isEqualTo("late");
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(c.isClosedByServer()).isTrue();
                c.close();
            }
            done.get(10, TimeUnit.SECONDS);
            assertThat(s.server.connectionCount()).isZero();
            idle.close();
        }
    }

    @Test
    void connectionsStillBusyAtTheDeadlineAreClosed() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        HttpServerConnectionDelegate app = HttpServerTesting.buffering((req, body, c) -> arrived.countDown());
        try (Running s = HttpServerTesting.start(app); RawClient c = s.client()) {
            c.send("GET /never HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            s.server.shutdown(Duration.ofMillis(200)).get(10, TimeUnit.SECONDS);
            assertThat(c.isClosedByServer()).isTrue();
        }
    }
}
