package io.gale.web;

import io.gale.http.HttpServerConnectionDelegate;
import java.io.IOException;

/**
 * Starts an HTTP server for an application: the seam behind {@link Application#listen(int)}
 * (Tornado's {@code Application.listen}, which creates an {@code HTTPServer}).
 *
 * <p>Which launcher {@code listen} uses: the one set with
 * {@link ApplicationSettings.Builder#serverLauncher(ServerLauncher)}, else the first provider of
 * this service found by {@link java.util.ServiceLoader} (the module declares
 * {@code uses io.gale.web.ServerLauncher}). Gale's HTTP/1.1 server registers itself as that
 * provider; another server (HTTP/2, a test server) plugs in the same way.
 *
 * <pre>{@code
 * ServerLauncher launcher = (app, settings, address, port) -> {
 *     HttpServer server = new HttpServer(app);
 *     server.listen(port, address);
 *     return new ListeningServer() { ... };
 * };
 * }</pre>
 *
 * <p>Implementations must be thread-safe and must not block: they bind the socket and return,
 * the loop serves connections once it runs.
 */
@FunctionalInterface
public interface ServerLauncher {
    /**
     * Binds {@code address:port} and serves {@code application} on the current loop (or on
     * {@code IOLoop.instance()} when the caller is not on a loop).
     *
     * @param address the host or IP to bind; null or "" for all interfaces
     * @param port the TCP port; 0 for an ephemeral one
     * @return the running server
     * @throws IOException if the socket cannot be bound
     */
    ListeningServer listen(HttpServerConnectionDelegate application, ApplicationSettings settings,
            String address, int port) throws IOException;
}
