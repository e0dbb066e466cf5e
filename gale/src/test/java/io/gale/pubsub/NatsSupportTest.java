package io.gale.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** NATS is optional: without jnats, connecting to nats:// says what to add. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NatsSupportTest {
    @Test
    void withoutJnatsConnectNamesTheMissingArtifact() throws Exception {
        assertThat(NatsSupport.available()).as("jnats is on the test class path").isTrue();
        URL galeClasses = PubSub.class.getProtectionDomain().getCodeSource().getLocation();
        // Gale's classes alone, over the JDK's: an application that did not add jnats.
        try (URLClassLoader app = new URLClassLoader(new URL[] {galeClasses}, ClassLoader.getPlatformClassLoader())) {
            Class<?> pubSub = app.loadClass(PubSub.class.getName());
            assertThat(pubSub).isNotSameAs(PubSub.class);
            assertThatThrownBy(() -> {
                try {
                    pubSub.getMethod("connect", String.class).invoke(null, "nats://127.0.0.1:4222");
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs the NATS client: add " + NatsSupport.JNATS);
        }
    }
}
