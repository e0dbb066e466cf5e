package io.gale.httpclient;

/** Stage durations of one connect, filled in by {@link Connector}; loop-confined. */
final class ConnectTiming {
    long dnsNanos;
    long connectNanos;
    long tlsNanos;

    void reset() {
        dnsNanos = 0;
        connectNanos = 0;
        tlsNanos = 0;
    }
}
