package io.gale.demos.testing;

import io.gale.testing.BrokerProcess;
import io.gale.testing.NatsServer;
import io.gale.testing.RedisServer;

/**
 * The brokers the demos' {@code --pubsub} tests run, by name: {@code redis} (Debian's
 * {@code redis-server}) or {@code nats} ({@code nats-server}), started by the library's test
 * helpers ({@link RedisServer}, {@link NatsServer} from gale's test-jar) on an unused loopback
 * port with nothing persisted. A missing server fails the test, with the package to install.
 */
public final class Brokers {
    private Brokers() {
    }

    public static BrokerProcess start(String name) {
        return switch (name) {
            case "redis" -> RedisServer.start();
            case "nats" -> NatsServer.start();
            default -> throw new IllegalArgumentException("no broker named " + name);
        };
    }
}
