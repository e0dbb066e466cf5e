package io.gale.demos.auth;

import io.gale.auth.AuthLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * The OpenID provider the demo starts when none is configured, so that it works out of the box:
 * NAV's mock-oauth2-server (an OpenID provider for development and tests, on Nimbus's OAuth 2
 * SDK: discovery, JWKS, authorization with PKCE, token, userinfo), in this process, on a free
 * port of 127.0.0.1, with its interactive login page: any user name logs in, and claims can be
 * added as JSON. It is a real, independent provider, reached over HTTP like any other; nothing in
 * the demo's login code knows it is local.
 *
 * <p>Not for production: it authenticates nobody. Two of its defaults are changed for a process
 * that may run for days: its signing key is generated at first use (by default it signs with
 * keys shipped inside its jar, which anyone can read), and it is served by its Netty server
 * rather than OkHttp's MockWebServer, which keeps every request it served for tests to inspect.
 *
 * <p>This is the only class that uses mock-oauth2-server, whose jars are on the auth demo's class
 * path only ({@code gale-demos/target/lib-auth}, added by {@code ./gale-demo auth}). Threading:
 * {@link #start()} once, {@link #close()} from any thread.
 */
final class LocalProvider implements AutoCloseable {
    /** The path segment naming the issuer (mock-oauth2-server serves any number of issuers). */
    static final String ISSUER_ID = "gale-demo";

    /**
     * The demo's limits for calls to this provider: {@link AuthLimits#DEFAULTS} with 60 s instead
     * of 10 s per request. Its first answers load its code (Kotlin, Jackson 3, Netty, Freemarker)
     * and make its RSA key: seconds on a cold JVM, more than ten on a loaded machine while a
     * browser starts (seen in the browser test), though it is in this process.
     */
    static final AuthLimits LIMITS = AuthLimits.builder().requestTimeout(Duration.ofSeconds(60)).build();

    private final MockOAuth2Server server;
    private final String issuer;

    private LocalProvider(MockOAuth2Server server, String issuer) {
        this.server = server;
        this.issuer = issuer;
    }

    /**
     * Starts the provider on a free port of 127.0.0.1.
     *
     * @throws NoClassDefFoundError if mock-oauth2-server is not on the class path (possibly
     *     already when this class is linked: callers catch it around the call)
     * @throws IOException if it cannot listen
     */
    static LocalProvider start() throws IOException {
        // interactive login, the built-in login page and assets, refresh tokens not rotated,
        // no key from the jar (an empty initial list: a fresh RSA key per issuer), no canned
        // token callbacks, Netty without TLS
        OAuth2Config config = new OAuth2Config(true, null, null, false, new OAuth2TokenProvider(new KeyProvider(List.of())),
                Set.of(), new NettyWrapper(null));
        MockOAuth2Server server = new MockOAuth2Server(config);
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (RuntimeException e) {
            server.shutdown();
            throw new IOException("the local OpenID provider did not start: " + e, e);
        }
        int port = server.url("/").port();
        warmUp(port);
        return new LocalProvider(server, "http://127.0.0.1:" + port + "/" + ISSUER_ID);
    }

    /**
     * Asks the provider for its discovery document and its keys once, on a daemon thread, so that
     * its code is loaded and its key made while the visitor reads the first page, not when they
     * click "Log in". Failures are ignored (the login would report them).
     */
    private static void warmUp(int port) {
        Thread.ofPlatform().daemon().name("local-provider-warm-up").start(() -> {
            for (String path : new String[] {"/.well-known/openid-configuration", "/jwks"}) {
                try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
                    s.setSoTimeout(60_000);
                    s.getOutputStream().write(("GET /" + ISSUER_ID + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** The issuer URL ({@code http://127.0.0.1:PORT/gale-demo}): discovery is under it. */
    String issuer() {
        return issuer;
    }

    /**
     * Stops the provider. Returns at once: Netty's graceful shutdown closes the port within a few
     * seconds; logins in progress then fail at their next step.
     */
    @Override
    public void close() {
        server.shutdown();
    }
}
