package io.gale.httpclient;

import java.time.Duration;

/**
 * Where the time of one request went (the last hop when redirects were followed). Stages that did
 * not happen (DNS, connect and TLS on a reused connection) are zero. Immutable.
 */
public final class HttpTiming {
    private final long queueNanos;
    private final long dnsNanos;
    private final long connectNanos;
    private final long tlsNanos;
    private final long firstByteNanos;
    private final long totalNanos;

    HttpTiming(long queueNanos, long dnsNanos, long connectNanos, long tlsNanos, long firstByteNanos, long totalNanos) {
        this.queueNanos = queueNanos;
        this.dnsNanos = dnsNanos;
        this.connectNanos = connectNanos;
        this.tlsNanos = tlsNanos;
        this.firstByteNanos = firstByteNanos;
        this.totalNanos = totalNanos;
    }

    /**
     * Waiting for a free connection slot (the pool's queue at {@code maxClients}).
     *
     * @return the queue
     */
    public Duration queue() {
        return Duration.ofNanos(queueNanos);
    }

    /**
     * Resolving the host name.
     *
     * @return the dns
     */
    public Duration dns() {
        return Duration.ofNanos(dnsNanos);
    }

    /**
     * Opening the TCP connection (and a proxy tunnel), after DNS.
     *
     * @return the connect
     */
    public Duration connect() {
        return Duration.ofNanos(connectNanos);
    }

    /**
     * The TLS handshake.
     *
     * @return the TLS handshake
     */
    public Duration tls() {
        return Duration.ofNanos(tlsNanos);
    }

    /**
     * From the start of the hop until the first byte of the response head arrived.
     *
     * @return the first byte
     */
    public Duration firstByte() {
        return Duration.ofNanos(firstByteNanos);
    }

    /**
     * From the start of the hop until the response was complete.
     *
     * @return the total
     */
    public Duration total() {
        return Duration.ofNanos(totalNanos);
    }

    @Override
    public String toString() {
        return "HttpTiming[queue=" + queue() + ", dns=" + dns() + ", connect=" + connect() + ", tls=" + tls()
                + ", firstByte=" + firstByte() + ", total=" + total() + "]";
    }
}
