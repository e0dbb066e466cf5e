package io.gale.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away {@code redis-server} (Debian's {@code redis-server} package; {@code $GALE_REDIS_SERVER}
 * overrides the binary): 127.0.0.1, an unused port, no RDB snapshots, no AOF, protected mode off,
 * its working directory a new temporary one. See {@link BrokerProcess}.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     PubSub bus = PubSub.connect(redis.uri()).join();
 *     ...
 *     redis.kill();     // a crash
 *     redis.restart();  // same port
 * }
 * }</pre>
 */
public final class RedisServer extends BrokerProcess {
    private final List<String> extraArgs;

    private RedisServer(List<String> extraArgs) {
        super("redis-server", findBinary("redis-server", "GALE_REDIS_SERVER", "/usr/bin/redis-server",
            "/usr/local/bin/redis-server"));
        this.extraArgs = extraArgs;
    }

    /**
     * Starts a server; throws {@link IllegalStateException} with the reason if it cannot.
     *
     * @return the started redis server
     */
    public static RedisServer start() {
        return start(List.of());
    }

    /**
     * Starts a server with more configuration ({@code --requirepass secret}, say).
     *
     * @param extraArgs more command-line arguments for the server
     * @return the started redis server
     */
    public static RedisServer start(List<String> extraArgs) {
        RedisServer s = new RedisServer(List.copyOf(extraArgs));
        s.startOnFreePort();
        return s;
    }

    @Override
    protected List<String> command(Path binary, int port, Path dir) {
        List<String> c = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
            "--daemonize", "no", "--protected-mode", "no", "--logfile", "", "--databases", "1"));
        c.addAll(extraArgs);
        return c;
    }

    @Override
    protected boolean isReadyLine(String line) {
        return line.contains("Ready to accept connections");
    }

    @Override
    public String uri() {
        return "redis://127.0.0.1:" + port();
    }
}
