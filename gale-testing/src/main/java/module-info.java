/**
 * Testing Gale applications with JUnit 5 (Tornado's {@code tornado.testing}): see
 * {@link io.gale.testing.GaleTest}.
 */
module io.gale.testing {
    requires transitive io.gale;
    requires transitive org.junit.jupiter.api;
    // Transitive: ExpectLog and LogEvent speak of org.slf4j.event.Level.
    requires transitive org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;

    exports io.gale.testing;
}
