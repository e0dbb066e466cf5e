package io.gale.metrics;

import java.util.List;
import java.util.Map;

/**
 * All of a {@link GaleMetrics}' values at one moment, as plain data: what tests and in-process
 * tools read without Micrometer.
 *
 * @param routes every route that served a request (and the unmatched pseudo-route), in no order
 * @param openConnections open server connections by kind
 * @param openedConnections connections opened since start by kind
 * @param bytesReceived application bytes read from server connections (after TLS)
 * @param bytesSent application bytes written to server connections (before TLS)
 * @param loops every monitored loop
 * @param virtualThreadsInUse virtual-thread requests running (admission permits taken)
 * @param virtualThreadsQueued virtual-thread requests waiting for admission
 * @param virtualThreadRejections virtual-thread requests answered 503 by the admission limit
 * @param clientPools every bound HTTP client's pool
 */
public record MetricsSnapshot(
        List<RouteMetrics.Snapshot> routes,
        Map<ConnectionKind, Long> openConnections,
        Map<ConnectionKind, Long> openedConnections,
        long bytesReceived,
        long bytesSent,
        List<LoopMetrics.Snapshot> loops,
        long virtualThreadsInUse,
        long virtualThreadsQueued,
        long virtualThreadRejections,
        List<ClientPoolMetrics.Snapshot> clientPools) {

    /**
     * The route with {@code pattern}, or null if it served nothing yet.
     *
     * @param pattern the pattern
     * @return the route with {@code pattern}, or null if it served nothing yet
     */
    public RouteMetrics.Snapshot route(String pattern) {
        for (RouteMetrics.Snapshot r : routes) {
            if (r.pattern().equals(pattern)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Open connections of {@code kind}.
     *
     * @param kind the kind of failure
     * @return the number
     */
    public long open(ConnectionKind kind) {
        return openConnections.getOrDefault(kind, 0L);
    }

    /**
     * Connections of {@code kind} opened so far.
     *
     * @param kind the kind of failure
     * @return the number
     */
    public long opened(ConnectionKind kind) {
        return openedConnections.getOrDefault(kind, 0L);
    }
}
