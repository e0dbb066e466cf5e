package io.gale.pubsub;

import io.gale.testing.NatsServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/** The NATS PubSub (jnats) against a real {@code nats-server}. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NatsPubSubTest extends BrokerPubSubContract {
    @BeforeAll
    static void startBroker() {
        broker = NatsServer.start();
    }

    @Override
    String scheme() {
        return "nats";
    }
}
