package io.gale.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * A throw-away {@code nats-server} (Debian's {@code nats-server} package; {@code $GALE_NATS_SERVER}
 * overrides the binary): 127.0.0.1, an unused port, core NATS only (JetStream off, so nothing is
 * stored), no monitoring port. See {@link BrokerProcess}.
 */
public final class NatsServer extends BrokerProcess {
    private NatsServer() {
        super("nats-server", findBinary("nats-server", "GALE_NATS_SERVER", "/usr/sbin/nats-server",
            "/usr/bin/nats-server", "/usr/local/bin/nats-server"));
    }

    /**
     * Starts a server; throws {@link IllegalStateException} with the reason if it cannot.
     *
     * @return the started nats server
     */
    public static NatsServer start() {
        NatsServer s = new NatsServer();
        s.startOnFreePort();
        return s;
    }

    @Override
    protected List<String> command(Path binary, int port, Path dir) {
        return List.of(binary.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-n", "gale-test");
    }

    @Override
    protected boolean isReadyLine(String line) {
        return line.contains("Server is ready");
    }

    @Override
    public String uri() {
        return "nats://127.0.0.1:" + port();
    }
}
