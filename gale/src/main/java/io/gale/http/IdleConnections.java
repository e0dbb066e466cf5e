package io.gale.http;

import io.gale.net.IdleConnectionCloser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * An {@link HttpServer}'s answer to low resources (see {@link io.gale.net.TcpServer}, "Low
 * resources"): finds the connections idle longest between requests, across all the server's
 * loops, and closes them on their own loops; and tells a connection that finishes a request
 * whether it should close rather than wait for the next one.
 *
 * <p>No registry is kept on the request path: each connection publishes when it went idle
 * ({@link ServerConnection#idleSince()}, one volatile write per request), and a close request
 * (rare: only under pressure) scans the server's live connections. A connection picked here may
 * have received a request by the time its loop runs the close; it then refuses
 * ({@link ServerConnection#closeIfIdle()}) and the next oldest is tried, a bounded number of
 * times.
 *
 * <p>Threading: {@link #closeOldestIdle} from any thread (the accept loop); the closes run on the
 * connections' loops.
 */
final class IdleConnections implements IdleConnectionCloser {
    /** Tries after a picked connection turned busy before its close ran. */
    private static final int RETRIES = 3;

    private final Collection<ServerConnection> connections;
    private final BooleanSupplier lowResources;

    IdleConnections(Collection<ServerConnection> connections, BooleanSupplier lowResources) {
        this.connections = connections;
        this.lowResources = lowResources;
    }

    /** Whether a connection that just finished a request should close instead of waiting idle. */
    boolean shedOnIdle() {
        return lowResources.getAsBoolean();
    }

    @Override
    public void closeOldestIdle(int count) {
        closeOldest(count, RETRIES);
    }

    private void closeOldest(int count, int retries) {
        for (ServerConnection c : oldest(count)) {
            c.loop().addCallback(() -> {
                if (!c.closeIfIdle() && retries > 0) {
                    closeOldest(1, retries - 1);
                }
            });
        }
    }

    /** Up to {@code count} idle connections, longest idle first. */
    private List<ServerConnection> oldest(int count) {
        List<Idle> idle = new ArrayList<>();
        for (ServerConnection c : connections) {
            long since = c.idleSince();
            if (since != 0) {
                idle.add(new Idle(c, since));
            }
        }
        idle.sort(Comparator.comparingLong(Idle::since));
        List<ServerConnection> out = new ArrayList<>(Math.min(count, idle.size()));
        for (int i = 0; i < idle.size() && out.size() < count; i++) {
            out.add(idle.get(i).connection());
        }
        return out;
    }

    private record Idle(ServerConnection connection, long since) {
    }
}
