package io.gale.net;

import static io.gale.net.NetTesting.startOnLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.IOLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ResolverTest {
    private final IOLoop loop = new IOLoop();
    private boolean started;

    @AfterEach
    void tearDown() {
        loop.close();
    }

    private List<InetSocketAddress> resolve(Resolver r, String host, int port) throws Exception {
        if (!started) {
            started = true;
            loop.startInBackground();
        }
        CompletableFuture<Thread> completedOn = new CompletableFuture<>();
        List<InetSocketAddress> result = startOnLoop(loop, () -> r.resolve(host, port)
                .whenComplete((v, e) -> completedOn.complete(Thread.currentThread())))
                .get(10, TimeUnit.SECONDS);
        assertThat(completedOn.get(10, TimeUnit.SECONDS).getName()).isEqualTo(loop.name());
        return result;
    }

    @Test
    void literalsResolveWithoutALookUp() throws Exception {
        assertThat(resolve(DefaultResolver.instance(), "127.0.0.1", 80))
                .containsExactly(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80));
        assertThat(resolve(DefaultResolver.instance(), "[::1]", 81))
                .containsExactly(new InetSocketAddress(InetAddress.getByName("::1"), 81));
    }

    @Test
    void namesResolveOffTheLoopAndCompleteOnIt() throws Exception {
        assertThat(resolve(DefaultResolver.instance(), "localhost", 8080))
                .isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.getAddress().isLoopbackAddress()).isTrue();
                    assertThat(a.getPort()).isEqualTo(8080);
                });
    }

    @Test
    void offLoopCallIsRejectedClearly() {
        assertThatThrownBy(() -> DefaultResolver.instance().resolve("localhost", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("IOLoop thread");
    }

    @Test
    void overrideRulesWinAndTheRestPassesThrough() throws Exception {
        InetSocketAddress a = new InetSocketAddress("127.0.0.2", 1000);
        InetSocketAddress b = new InetSocketAddress("127.0.0.3", 1001);
        Resolver failing = (host, port) -> CompletableFuture.failedFuture(new UnknownHostException(host));
        OverrideResolver r = new OverrideResolver(DefaultResolver.instance())
                .withHost("Example.COM", "127.0.0.1")
                .withAddresses("example.com", 443, a, b);
        assertThat(resolve(r, "example.com", 443)).containsExactly(a, b);
        assertThat(resolve(r, "EXAMPLE.com", 80)).containsExactly(new InetSocketAddress("127.0.0.1", 80));
        assertThat(resolve(r, "127.0.0.9", 80)).containsExactly(new InetSocketAddress("127.0.0.9", 80));
        OverrideResolver strict = new OverrideResolver(failing).withAddresses("x", 1, a);
        assertThat(resolve(strict, "x", 1)).containsExactly(a);
        assertThatThrownBy(() -> resolve(strict, "y", 1)).hasRootCauseInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> r.withAddresses("x", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
