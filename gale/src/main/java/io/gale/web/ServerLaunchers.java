package io.gale.web;

import java.util.ServiceLoader;

/** Finds the default {@link ServerLauncher} once, through {@link ServiceLoader}. Thread-safe. */
final class ServerLaunchers {
    private ServerLaunchers() {
    }

    private static final class Holder {
        static final ServerLauncher DEFAULT = ServiceLoader.load(ServerLauncher.class, ServerLauncher.class.getClassLoader())
                .findFirst().orElse(null);
    }

    /**
     * The provider found on the module or class path.
     *
     * @throws IllegalStateException when there is none, naming the ways to provide one
     */
    static ServerLauncher defaultLauncher() {
        ServerLauncher l = Holder.DEFAULT;
        if (l == null) {
            throw new IllegalStateException("No HTTP server is available to Application.listen(): no provider of "
                    + ServerLauncher.class.getName() + " was found. Provide one (module-info 'provides "
                    + "io.gale.web.ServerLauncher with ...' or META-INF/services), or set "
                    + "ApplicationSettings.builder().serverLauncher(...), or start a server yourself with the "
                    + "Application as its HttpServerConnectionDelegate.");
        }
        return l;
    }
}
