package io.gale.net;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Resolver} that answers some names from a fixed mapping and passes the rest to another
 * resolver (Tornado's {@code OverrideResolver}): for tests, and to pin a host to a local server.
 * A rule for a host and port wins over a rule for the host alone. Host names compare
 * case-insensitively.
 *
 * <pre>{@code
 * Resolver r = new OverrideResolver(DefaultResolver.instance())
 *         .withHost("api.example.com", "127.0.0.1")              // any port, same port number
 *         .withAddresses("db.example.com", 5432,                  // exact addresses, in order
 *                 new InetSocketAddress("127.0.0.1", 15432));
 * }</pre>
 *
 * <p>Immutable and thread-safe: each {@code with...} returns a new resolver.
 */
public final class OverrideResolver implements Resolver {
    private final Resolver delegate;
    /** "host" → replacement host, resolved by the delegate with the requested port. */
    private final Map<String, String> hostRules;
    /** "host:port" → the exact addresses. */
    private final Map<String, List<InetSocketAddress>> addressRules;

    /**
     * Creates an {@code OverrideResolver}.
     *
     * @param delegate resolves everything the mapping does not cover (and replacement hosts)
     */
    public OverrideResolver(Resolver delegate) {
        this(delegate, Map.of(), Map.of());
    }

    private OverrideResolver(Resolver delegate, Map<String, String> hostRules,
            Map<String, List<InetSocketAddress>> addressRules) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.hostRules = hostRules;
        this.addressRules = addressRules;
    }

    /**
     * Resolves {@code host} (any port) as {@code replacementHost} (same port).
     *
     * @param host the host name
     * @param replacementHost the replacement host
     * @return a copy with this value replaced
     */
    public OverrideResolver withHost(String host, String replacementHost) {
        Objects.requireNonNull(replacementHost, "replacementHost");
        Map<String, String> rules = new HashMap<>(hostRules);
        rules.put(key(host), replacementHost);
        return new OverrideResolver(delegate, Map.copyOf(rules), addressRules);
    }

    /**
     * Resolves {@code host:port} to exactly {@code addresses}, tried in this order.
     *
     * @param host the host name
     * @param port the port
     * @param addresses the addresses
     * @return a copy with this value replaced
     */
    public OverrideResolver withAddresses(String host, int port, InetSocketAddress... addresses) {
        DefaultResolver.checkPort(port);
        if (addresses.length == 0) {
            throw new IllegalArgumentException("at least one address is needed for " + host + ":" + port);
        }
        Map<String, List<InetSocketAddress>> rules = new HashMap<>(addressRules);
        rules.put(key(host) + ":" + port, List.of(addresses));
        return new OverrideResolver(delegate, hostRules, Map.copyOf(rules));
    }

    @Override
    public CompletableFuture<List<InetSocketAddress>> resolve(String host, int port) {
        String k = key(host);
        List<InetSocketAddress> exact = addressRules.get(k + ":" + port);
        if (exact != null) {
            return CompletableFuture.completedFuture(exact);
        }
        String replacement = hostRules.get(k);
        return delegate.resolve(replacement != null ? replacement : host, port);
    }

    private static String key(String host) {
        return NetUtil.stripBrackets(Objects.requireNonNull(host, "host")).toLowerCase(Locale.ROOT);
    }
}
