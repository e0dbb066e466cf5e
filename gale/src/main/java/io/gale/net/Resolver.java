package io.gale.net;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous name resolution (Tornado's {@code netutil.Resolver}): turns a host name and port
 * into the socket addresses to try, in the order to try them.
 *
 * <pre>{@code
 * Resolver resolver = DefaultResolver.instance();
 * resolver.resolve("localhost", 8080).thenAccept(addresses -> ...);
 * }</pre>
 *
 * <p>Threading contract for implementations: {@link #resolve} is called on an
 * {@link io.gale.ioloop.IOLoop} thread and must not block it; the returned future completes on that
 * same loop. It never completes with an empty list: "no address" is a failure, normally a
 * {@link java.net.UnknownHostException}.
 */
public interface Resolver {
    /**
     * Resolves {@code host} (a name or a numeric IPv4/IPv6 literal) for {@code port}.
     *
     * @param host the host name
     * @param port the port
     * @return the addresses in preference order; fails with {@link java.net.UnknownHostException}
     *     (or another {@link java.io.IOException}) when the name cannot be resolved
     */
    CompletableFuture<List<InetSocketAddress>> resolve(String host, int port);
}
