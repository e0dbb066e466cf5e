package io.gale.net;

import io.gale.ioloop.IOLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The default {@link Resolver}: the system resolver ({@link InetAddress#getAllByName}, which
 * honours {@code /etc/hosts} and the JDK's address cache), run on an executor so that the loop
 * never blocks on DNS, with the result delivered back on the calling loop
 * ({@link IOLoop#runInExecutor}). Numeric IP literals are answered at once, without a thread hop.
 *
 * <p>Stateless and thread-safe; {@link #instance()} is shared.
 */
public final class DefaultResolver implements Resolver {
    private static final DefaultResolver INSTANCE = new DefaultResolver(null);

    private final Executor executor;

    /**
     * Creates a {@code DefaultResolver}.
     *
     * @param executor where blocking look-ups run; null for the loop's default executor
     */
    public DefaultResolver(Executor executor) {
        this.executor = executor;
    }

    /**
     * The shared resolver using {@link IOLoop#defaultExecutor()}.
     *
     * @return the shared resolver using {@link IOLoop#defaultExecutor()}
     */
    public static DefaultResolver instance() {
        return INSTANCE;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when not called on an IOLoop thread
     */
    @Override
    public CompletableFuture<List<InetSocketAddress>> resolve(String host, int port) {
        Objects.requireNonNull(host, "host");
        checkPort(port);
        if (NetUtil.isIpLiteral(host)) {
            try {
                // A literal needs no look-up: getByName parses it without touching DNS.
                return CompletableFuture.completedFuture(
                        List.of(new InetSocketAddress(InetAddress.getByName(NetUtil.stripBrackets(host)), port)));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        IOLoop loop = IOLoop.current();
        if (loop == null) {
            throw new IllegalStateException("DefaultResolver.resolve must be called on an IOLoop thread");
        }
        return loop.runInExecutor(executor, () -> toSocketAddresses(InetAddress.getAllByName(host), port));
    }

    private static List<InetSocketAddress> toSocketAddresses(InetAddress[] addresses, int port) {
        List<InetSocketAddress> out = new ArrayList<>(addresses.length);
        for (InetAddress a : addresses) {
            out.add(new InetSocketAddress(a, port));
        }
        return List.copyOf(out);
    }

    static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
