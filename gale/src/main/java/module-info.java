/**
 * Gale: a non-blocking web framework and asynchronous networking library, in the spirit of
 * Python's Tornado. Only API packages are exported; internals are package-private.
 */
module io.gale {
    requires org.slf4j;
    // Transitive: public API returns Jackson trees (HttpResponse.json(), OAuth2Client.oauth2Request).
    requires transitive com.fasterxml.jackson.databind;
    requires io.pebbletemplates;
    // Optional: only PubSub.connect("nats://...") needs it (io.nats:jnats, which the application adds).
    requires static io.nats.jnats;
    requires com.nimbusds.jose.jwt;
    // Optional: only io.gale.metrics.micrometer (GaleMeterBinder, PrometheusEndpoint) needs them;
    // io.gale.metrics itself works without Micrometer on the path.
    requires static micrometer.core;
    requires static micrometer.registry.prometheus;
    // Optional: only dev mode's supervisor compiling sources (AutoreloadOptions.sources) needs the
    // JDK's compiler; a class path launch on a JDK has it, a runtime without it reports so.
    requires static java.compiler;
    // The descriptor limit and count where /proc/self does not tell them
    // (com.sun.management.UnixOperatingSystemMXBean): a server sheds idle keep-alive connections
    // near the limit (io.gale.net.TcpServer, low resources).
    requires jdk.management;

    exports io.gale.ioloop;
    exports io.gale.concurrent;
    exports io.gale.iostream;
    exports io.gale.net;
    exports io.gale.http;
    exports io.gale.httpclient;
    exports io.gale.web;
    exports io.gale.escape;
    exports io.gale.template;
    exports io.gale.websocket;
    exports io.gale.locale;
    exports io.gale.options;
    exports io.gale.process;
    exports io.gale.pubsub;
    exports io.gale.auth;
    exports io.gale.metrics;
    exports io.gale.metrics.micrometer;
    exports io.gale.autoreload;
    // io.gale.internal.autoreload (not exported): the dev-mode child's link, used by the servers
    // io.gale.internal.http (not exported): the HTTP/1.x codec the server, client and WebSocket share
}
