package io.gale.pubsub;

import io.gale.testing.RedisServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/** The Redis PubSub (Gale's RESP2 client) against a real {@code redis-server}. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RedisPubSubTest extends BrokerPubSubContract {
    @BeforeAll
    static void startBroker() {
        broker = RedisServer.start();
    }

    @Override
    String scheme() {
        return "redis";
    }
}
