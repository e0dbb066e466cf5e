package io.gale.testing;

import static io.gale.testing.GaleTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpClient;
import io.gale.httpclient.HttpResponse;
import io.gale.ioloop.IOLoop;
import io.gale.web.Application;
import io.gale.websocket.WebSocketClientConnection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** The extension's happy paths: what a test gets injected, ExpectLog, await, ports. */
@GaleTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GaleExtensionTest {
    @TestApplication
    final Application app = TodoApp.application();

    @Test
    void fetchesFromTheServedApplication(TestServer server) {
        HttpResponse r = server.fetch("/?name=ann");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("hello ann");
        assertThat(server.url("/x")).isEqualTo("http://127.0.0.1:" + server.port() + "/x");
        HttpResponse post = server.fetch("/", b -> b.method("POST").body("12345"));
        assertThat(post.text()).isEqualTo("posted 5");
        // An error status is an answer to assert on, not an exception.
        try (ExpectLog quiet = ExpectLog.expect("gale.access", Level.WARN, "404 GET /nowhere")) {
            assertThat(server.fetch("/nowhere").code()).isEqualTo(404);
            assertThat(quiet.matched()).hasSize(1);
        }
    }

    @Test
    void clientsAndLoopAreInjected(TestServer server, AsyncHttpClient async, HttpClient blocking, IOLoop loop) {
        assertThat(loop).isSameAs(server.loop());
        assertThat(async).isSameAs(server.asyncHttpClient());
        assertThat(await(async.fetch(server.url("/?name=async"))).text()).isEqualTo("hello async");
        assertThat(blocking.fetch(server.url("/?name=blocking")).text()).isEqualTo("hello blocking");
    }

    @Test
    void inMemoryClientServesTheSameApplication(InMemoryClient client, IOLoop loop) {
        assertThat(client.loop()).isSameAs(loop);
        TestResponse r = client.fetch("/?name=memory");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("hello memory");
        assertThat(r.violations()).isEmpty();
        assertThat(client.fetch(TestRequest.of("POST", "/").body("ab").body("cd")).text()).isEqualTo("posted 4");
    }

    @Test
    void websocket(TestServer server) {
        WebSocketClientConnection ws = server.websocket("/echo");
        await(ws.writeMessage("hi"));
        assertThat(await(ws.readMessage()).text()).isEqualTo("echo hi");
        assertThat(server.websocketUrl("/echo")).startsWith("ws://127.0.0.1:");
    }

    @Test
    void expectedErrorsAreClaimedAndNotPrinted(TestServer server) {
        try (ExpectLog uncaught = ExpectLog.expect("gale.application", Level.ERROR, "Uncaught exception GET /fail");
                ExpectLog access = ExpectLog.expect("gale.access", Level.ERROR, "^500 GET /fail")) {
            assertThat(server.fetch("/fail").code()).isEqualTo(500);
            assertThat(uncaught.matched()).hasSize(1);
            assertThat(uncaught.matched().get(0).throwable()).hasMessage("broken on purpose");
            assertThat(access.matched()).hasSize(1);
        }
    }

    @Test
    void expectationBelowTheConfiguredLevelSeesTheLine(TestServer server) {
        // logback-test.xml sets gale.access to WARN: the 200 line is not printed, but it is seen.
        try (ExpectLog ok = ExpectLog.expect("gale", Level.INFO, "200 GET /\\?name=x")) {
            server.fetch("/?name=x");
            assertThat(ok.matched()).extracting(LogEvent::level).containsOnly(Level.INFO);
        }
    }

    @Test
    void expectLogFailsWithoutItsLine() {
        ExpectLog e = ExpectLog.expect("gale.application", Level.ERROR, "never logged");
        assertThatThrownBy(e::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("gale.application at ERROR or above matching /never logged/");
        ExpectLog none = ExpectLog.expectNone("io.gale.testing.demo", Level.WARN, "bad");
        LoggerFactory.getLogger("io.gale.testing.demo.child").warn("a bad {}", "thing");
        LoggerFactory.getLogger("io.gale.testing.demo").info("bad but only INFO");
        LoggerFactory.getLogger("io.gale.testing.demonstration").warn("bad, other logger");
        assertThatThrownBy(none::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("a bad thing").hasMessageNotContaining("only INFO").hasMessageNotContaining("other");
    }

    @Test
    void awaitUnwrapsAndBounds() {
        assertThat(await(CompletableFuture.completedFuture("v"))).isEqualTo("v");
        assertThatThrownBy(() -> await(CompletableFuture.failedFuture(new IOException("io"))))
                .isInstanceOf(IOException.class).hasMessage("io");
        assertThatThrownBy(() -> await(new CompletableFuture<>(), Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no result within 50 ms");
    }

    @Test
    void ports() throws IOException {
        try (GaleTesting.BoundPort bound = GaleTesting.bindUnusedPort()) {
            assertThat(bound.port()).isPositive();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), bound.port())) {
                assertThat(s.isConnected()).isTrue();
            }
        }
        int closed = GaleTesting.unusedPort();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), closed).close())
                .isInstanceOf(ConnectException.class);
    }
}
