package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServerTesting.RawClient;
import io.gale.http.HttpServerTesting.Response;
import io.gale.http.HttpServerTesting.Running;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Header, idle and body timeouts over real sockets. */
@Timeout(30)
class HttpServerTimeoutsTest {

    @Test
    void slowlorisIsCutAtTheHeaderTimeoutWhileOthersAreServed() throws Exception {
        HttpServerOptions opts = HttpServerOptions.builder().headerTimeout(Duration.ofMillis(500)).build();
        try (Running s = HttpServerTesting.start(HttpServerRawTest.APP, opts);
             RawClient slow = s.client(); RawClient other = s.client()) {
            long start = System.nanoTime();
            // A head that never ends: the client stalls after these bytes, as a slowloris does.
            slow.send("GET / HTTP/1.1\r\nHost: x\r\nX-a: 1");
            for (int i = 0; i < 3; i++) {
                other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(other.readResponse().status()).isEqualTo(200);
            }
            Response r = slow.readResponse();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(slow.isClosedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(other.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        HttpServerOptions opts = HttpServerOptions.builder().idleConnectionTimeout(Duration.ofMillis(300)).build();
        try (Running s = HttpServerTesting.start(HttpServerRawTest.APP, opts); RawClient c = s.client()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(c.isClosedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void idleTimeCountsFromTheEndOfABodyReadAfterAnEarlyAnswer() throws Exception {
        HttpServerOptions opts = HttpServerOptions.builder().idleConnectionTimeout(Duration.ofMillis(300)).build();
        try (Running s = HttpServerTesting.start(HttpServerTesting.answeringEarly(200, "early"), opts);
             RawClient c = s.client()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            // not synchronisation: the answer is now older than the idle timeout, the request not over
            Thread.sleep(400);
            c.send("abc");
            long start = System.nanoTime();
            assertThat(c.isClosedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void stalledBodyGets408() throws Exception {
        HttpServerOptions opts = HttpServerOptions.builder().bodyTimeout(Duration.ofMillis(300)).build();
        try (Running s = HttpServerTesting.start(HttpServerRawTest.APP, opts); RawClient c = s.client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
            Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void headerTimeoutDoesNotCutAKeepAliveConnectionBetweenRequests() throws Exception {
        HttpServerOptions opts = HttpServerOptions.builder().headerTimeout(Duration.ofMillis(200)).build();
        try (Running s = HttpServerTesting.start(HttpServerRawTest.APP, opts); RawClient c = s.client()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHo");   // second head split
            assertThat(c.readResponse().status()).isEqualTo(200);
            c.send("st: x\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            // idle now: only the idle timeout (an hour) applies; a request after the header timeout works
            Thread.sleep(400); // not synchronisation: lets the header timeout pass while idle
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
    }
}
