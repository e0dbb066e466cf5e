package io.gale.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-process PubSub against the contract; both "clients" of a test are one instance. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InProcessPubSubTest extends PubSubContract {
    private PubSub shared;

    @Override
    PubSub createClient(PubSubLimits limits) {
        if (shared == null || !shared.limits().equals(limits) || !shared.stats().connected()) {
            shared = PubSub.inProcess(limits);
        }
        return shared;
    }

    @Test
    void publishCompletesOnceQueuedAndCountsCallbacksThatThrow() throws Exception {
        PubSub bus = client();
        Received r = new Received();
        join(bus.subscribe("errors", m -> {
            if (m.text().equals("boom")) {
                throw new IllegalStateException("handler failure (expected by the test)");
            }
            r.add(m);
        }, loops.next()).subscribed());
        join(bus.publish("errors", "boom"));
        join(bus.publish("errors", "after"));
        assertThat(r.await(1, WAIT)).containsExactly("after");
        assertThat(bus.stats().handlerErrors()).isEqualTo(1);
        assertThat(bus.stats().delivered()).isEqualTo(2);
        assertThat(bus.stats().received()).isEqualTo(2);
    }

    @Test
    void unknownSchemesAreRefused() {
        assertThatThrownBy(() -> PubSub.connect("kafka://127.0.0.1:9092")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("redis://");
        assertThatThrownBy(() -> PubSub.connect("redis://")).isInstanceOf(IllegalArgumentException.class);
    }
}
