package io.gale;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One idiom for option objects (docs/architecture.md, "Option objects"): an immutable record
 * validated by its constructor, {@code defaults()}, {@code builder()} starting from the defaults,
 * {@code toBuilder()} starting from an instance, and no {@code withX} copies. Every public
 * {@code *Options}/{@code *Limits} type of an exported package is held to it, found through
 * exported-api.txt so a new one cannot be missed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OptionObjectsTest {

    @Test
    void everyOptionObjectFollowsTheOneIdiom() throws Exception {
        List<Class<?>> options = optionTypes();
        assertThat(options).extracting(Class::getSimpleName)
                .contains("HttpServerOptions", "ConnectOptions", "ClientOptions", "Http1ParserLimits", "FormLimits");
        for (Class<?> c : options) {
            assertThat(c.isRecord()).as("%s is a record", c.getName()).isTrue();
            for (Method m : c.getMethods()) {
                assertThat(m.getName().startsWith("with") && m.getReturnType() == c)
                        .as("%s.%s: a withX copy; use the builder", c.getSimpleName(), m.getName()).isFalse();
            }
            Method toBuilder = c.getMethod("toBuilder");
            Class<?> builder = toBuilder.getReturnType();
            assertThat(builder.getSimpleName()).isEqualTo("Builder");
            Method build = builder.getMethod("build");
            assertThat(build.getReturnType()).isEqualTo(c);
            if (c.getSimpleName().equals("TlsOptions")) {
                // no single default: TlsOptions.client(serverName) and TlsOptions.server() are the starts
                Object server = c.getMethod("server").invoke(null);
                assertThat(build.invoke(toBuilder.invoke(server))).isEqualTo(server);
                continue;
            }
            Object defaults = c.getMethod("defaults").invoke(null);
            assertThat(Modifier.isStatic(c.getMethod("builder").getModifiers())).isTrue();
            assertThat(build.invoke(c.getMethod("builder").invoke(null)))
                    .as("%s.builder().build() equals defaults()", c.getSimpleName()).isEqualTo(defaults);
            assertThat(build.invoke(toBuilder.invoke(defaults)))
                    .as("%s: toBuilder().build() round-trips", c.getSimpleName()).isEqualTo(defaults);
        }
    }

    private static List<Class<?>> optionTypes() throws Exception {
        List<Class<?>> out = new ArrayList<>();
        try (var in = OptionObjectsTest.class.getResourceAsStream("exported-api.txt")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                // io.gale.options.Options is the command-line option registry (Tornado's tornado.options), not an option object
                if (!t.startsWith("#") && !t.equals("io.gale.options.Options") && (t.endsWith("Options") || t.endsWith("Limits"))) {
                    out.add(Class.forName(t));
                }
            }
        }
        return out;
    }
}
