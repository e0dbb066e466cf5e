/**
 * Gale: a non-blocking web framework and asynchronous networking library, in the spirit of
 * Python's Tornado. Only API packages are exported; internals are package-private.
 */
module io.gale {
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires com.nimbusds.jose.jwt;

    exports io.gale.ioloop;
    exports io.gale.concurrent;
    exports io.gale.iostream;
    exports io.gale.net;
    exports io.gale.http;
    exports io.gale.httpclient;
    exports io.gale.web;
    exports io.gale.websocket;
    exports io.gale.auth;
}
