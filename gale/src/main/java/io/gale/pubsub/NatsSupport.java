package io.gale.pubsub;

import java.util.concurrent.CompletableFuture;

/**
 * The door to {@link NatsPubSub}, which needs {@code io.nats:jnats}: an optional dependency
 * ({@code requires static} in Gale's module, {@code <optional>} in its POM), so an application
 * without NATS does not carry it. This class names no NATS type, so it loads without jnats and
 * can say what is missing before {@link NatsPubSub} is touched.
 */
final class NatsSupport {
    /** The version Gale is built and tested with. */
    static final String JNATS = "io.nats:jnats:2.26.2";

    private NatsSupport() {
    }

    static CompletableFuture<PubSub> connect(BrokerAddress address, PubSubLimits limits) {
        if (!available()) {
            throw new IllegalStateException("PubSub.connect(\"" + address + "\") needs the NATS client: add "
                + JNATS + " to the application's dependencies (Gale declares it optional), and on the module "
                + "path 'requires io.nats.jnats'");
        }
        return NatsPubSub.connect(address, limits);
    }

    static boolean available() {
        try {
            Class.forName("io.nats.client.Nats", false, NatsSupport.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        // On the module path the class may be present but its module not read by io.gale.
        Module gale = NatsSupport.class.getModule();
        if (gale.isNamed()) {
            return gale.getLayer() != null && gale.getLayer().findModule("io.nats.jnats").isPresent()
                && gale.canRead(gale.getLayer().findModule("io.nats.jnats").get());
        }
        return true;
    }
}
