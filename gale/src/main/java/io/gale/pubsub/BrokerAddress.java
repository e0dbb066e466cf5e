package io.gale.pubsub;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * A broker named by a URI ({@code redis://[user:password@]host[:port]},
 * {@code nats://[user:password@]host[:port]}), and the choice of implementation by its scheme.
 *
 * @param scheme {@code redis} or {@code nats}
 * @param user the user name, or null
 * @param password the password, or null (Redis: {@code AUTH [user] password} after connecting)
 */
record BrokerAddress(String scheme, String host, int port, String user, String password) {

    static BrokerAddress parse(String uri) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed broker URI '" + uri + "': " + e.getMessage(), e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "redis" -> 6379;
            case "nats" -> 4222;
            default -> throw new IllegalArgumentException("unsupported pub/sub broker '" + uri
                + "': use redis://host:port or nats://host:port (or PubSub.inProcess())");
        };
        String host = u.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("broker URI '" + uri + "' names no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String user = null;
        String password = null;
        String info = u.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
            if (user.isEmpty()) {
                user = null;
            }
        }
        return new BrokerAddress(scheme, host, u.getPort() < 0 ? defaultPort : u.getPort(), user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    CompletableFuture<PubSub> connect(PubSubLimits limits) {
        return switch (scheme) {
            case "redis" -> RedisPubSub.connect(this, limits);
            case "nats" -> NatsSupport.connect(this, limits);
            default -> throw new AssertionError(scheme);
        };
    }

    /** The address without credentials, for messages and logs. */
    @Override
    public String toString() {
        return scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
