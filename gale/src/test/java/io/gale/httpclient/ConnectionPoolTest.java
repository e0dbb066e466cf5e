package io.gale.httpclient;

import static io.gale.httpclient.ClientTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pool limits across hosts: per-host limits, reclaiming idle slots of other hosts, idle timeout. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionPoolTest {
    private final IOLoop loop = ClientTesting.startLoop("pool-test");
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private AsyncHttpClient client;

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
        loop.close();
    }

    private ScriptedServer keepAliveServer(String body, CountDownLatch gate) throws IOException {
        ScriptedServer s = new ScriptedServer((sock, i) -> {
            while (ScriptedServer.readRequest(sock.getInputStream()) != null) {
                gate.await(30, TimeUnit.SECONDS);
                ScriptedServer.write(sock, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            }
        });
        closeables.add(s);
        return s;
    }

    @Test
    void idleConnectionsOfOneHostAreReclaimedForAnother() throws Exception {
        client = new AsyncHttpClient(loop, ClientOptions.builder().maxClients(2).build());
        CountDownLatch gate = new CountDownLatch(1);
        ScriptedServer a = keepAliveServer("a", gate);
        ScriptedServer b = keepAliveServer("b", new CountDownLatch(0));
        CompletableFuture<HttpResponse> a1 = client.fetch(a.url("/"));
        CompletableFuture<HttpResponse> a2 = client.fetch(a.url("/"));
        ClientTesting.awaitOnLoop(loop, () -> client.pool().openConnections() == 2, "two connections to a");
        gate.countDown();
        await(a1);
        await(a2);
        assertThat(ClientTesting.onLoop(loop, () -> client.pool().idleConnections())).isEqualTo(2);
        // the limit is reached by idle connections of a: b takes one of their slots instead of waiting
        assertThat(await(client.fetch(b.url("/"))).text()).isEqualTo("b");
        assertThat(ClientTesting.onLoop(loop, () -> client.pool().openConnections())).isEqualTo(2);
    }

    @Test
    void perHostLimitQueuesOnlyThatHost() throws Exception {
        client = new AsyncHttpClient(loop, ClientOptions.builder().maxClients(4).maxClientsPerHost(1).build());
        CountDownLatch gate = new CountDownLatch(1);
        ScriptedServer a = keepAliveServer("a", gate);
        ScriptedServer b = keepAliveServer("b", new CountDownLatch(0));
        CompletableFuture<HttpResponse> a1 = client.fetch(a.url("/"));
        CompletableFuture<HttpResponse> a2 = client.fetch(a.url("/"));
        ClientTesting.awaitOnLoop(loop, () -> client.pool().queued() == 1, "the second request to a queued");
        assertThat(await(client.fetch(b.url("/"))).text()).isEqualTo("b"); // not stuck behind a's queue
        gate.countDown();
        await(a1);
        await(a2);
        assertThat(a.accepted()).isEqualTo(1);
    }

    @Test
    void idleConnectionsCloseAfterTheIdleTimeout() throws Exception {
        client = new AsyncHttpClient(loop, ClientOptions.builder().idleTimeout(Duration.ofMillis(50)).build());
        ScriptedServer a = keepAliveServer("a", new CountDownLatch(0));
        await(client.fetch(a.url("/")));
        ClientTesting.awaitOnLoop(loop, () -> client.pool().openConnections() == 0, "the idle connection closed");
        assertThat(await(client.fetch(a.url("/"))).text()).isEqualTo("a");
        assertThat(a.accepted()).isEqualTo(2);
    }
}
