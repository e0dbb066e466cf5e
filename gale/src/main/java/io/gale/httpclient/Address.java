package io.gale.httpclient;

import java.net.InetAddress;
import javax.net.ssl.SSLContext;

/**
 * The pool key: everything that makes two connections interchangeable (the cache key Tornado's
 * pooling PRs stalled on). Connections are shared only between requests with equal addresses.
 *
 * @param tls whether the origin is https
 * @param host origin host as in the URL (IPv6 in brackets)
 * @param port origin port
 * @param proxyHost HTTP proxy host, or null
 * @param proxyPort HTTP proxy port
 * @param proxyAuthorization value of {@code Proxy-Authorization}, or null
 * @param sslContext TLS context (compared by identity), null for plain
 * @param verifyHostname TLS: check the certificate's host name
 * @param source local address, or null
 * @param ipv4Only connect over IPv4 only
 * @param http2PriorKnowledge plain http spoken as HTTP/2 from the first byte (h2c with prior
 *     knowledge, RFC 9113 section 3.3); such connections are never shared with HTTP/1.1 requests
 */
record Address(boolean tls, String host, int port, String proxyHost, int proxyPort, String proxyAuthorization,
               SSLContext sslContext, boolean verifyHostname, InetAddress source, boolean ipv4Only,
               boolean http2PriorKnowledge) {

    boolean viaProxy() {
        return proxyHost != null;
    }

    /** Plain requests through a proxy use the absolute URL as request-target. */
    boolean absoluteFormTarget() {
        return viaProxy() && !tls;
    }

    @Override
    public String toString() {
        return (tls ? "https://" : http2PriorKnowledge ? "h2c://" : "http://") + host + ":" + port
                + (viaProxy() ? " via " + proxyHost + ":" + proxyPort : "");
    }
}
