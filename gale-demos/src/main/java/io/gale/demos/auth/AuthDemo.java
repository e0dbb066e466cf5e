package io.gale.demos.auth;

import io.gale.auth.ClientRegistration;
import io.gale.auth.OAuth2Client;
import io.gale.auth.OidcClient;
import io.gale.auth.Providers;
import io.gale.demos.ClasspathFiles;
import io.gale.demos.DemoOptions;
import io.gale.demos.Demos;
import io.gale.http.HttpServer;
import io.gale.ioloop.IOLoop;
import io.gale.options.Option;
import io.gale.template.PebbleTemplateEngine;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.Route;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tornado's {@code demos/google_auth} and {@code demos/facebook} for today's providers: log in
 * with OpenID Connect through {@code io.gale.auth}, see what the provider says about you (the
 * claims), log out. The session is a signed cookie; pages come from templates; the logout form
 * carries the XSRF token.
 *
 * <pre>
 * ./gale-demo auth                       # a local OpenID provider, started in this process
 * ./gale-demo auth --issuer https://accounts.google.com --client-id ID --client-secret SECRET
 * ./gale-demo auth --github-client-id ID --github-client-secret SECRET
 * </pre>
 *
 * <p>With no provider configured, the demo starts one of its own ({@link LocalProvider},
 * mock-oauth2-server on a free port of 127.0.0.1, whose login page takes any user name), so the
 * whole login works out of the box; the pages say so. A configured provider needs the demo's
 * redirect URI registered: {@code http://localhost:8888/auth/login} (OpenID Connect) or
 * {@code http://localhost:8888/auth/github} (GitHub), or under {@code --redirect-base-uri}.
 *
 * <p>URLs: {@code /} (the login buttons, or the user and their claims), {@code /auth/login} and
 * {@code /auth/github} (each provider's login handler and redirect URI), {@code POST /auth/logout},
 * {@code /me} (the session as JSON; {@code @Authenticated}), {@code /static/auth.css}.
 *
 * <p>Listens on {@code localhost} (::1 and 127.0.0.1) by default: providers accept plain-http
 * redirect URIs on loopback only, and the local provider is on loopback anyway. The cookie secret
 * is random per start unless {@code --cookie-secret} is given, so sessions end with the process.
 * Prints {@code listening on HOST:PORT} once the socket is bound.
 */
public final class AuthDemo {
    private static final Logger LOG = LoggerFactory.getLogger("gale.demos.auth");
    /** The demo's client at the local provider, which registers nobody and takes any id and secret. */
    static final String LOCAL_CLIENT_ID = "gale-auth-demo";
    static final String LOCAL_CLIENT_SECRET = "local-provider-takes-any-secret";

    private AuthDemo() {
    }

    /** The command line. Null strings are options not given. */
    record Config(int port, String address, String redirectBaseUri, String issuer, String clientId, String clientSecret,
            String githubClientId, String githubClientSecret, String githubUrl, String cookieSecret) {

        /** Whether no provider is configured, so the demo starts its own. */
        boolean localProvider() {
            return issuer == null && githubClientId == null;
        }
    }

    /** A running demo: its server, and the local provider if it started one. */
    public static final class Running implements AutoCloseable {
        private final HttpServer server;
        private final LocalProvider provider;
        private final String baseUrl;

        Running(HttpServer server, LocalProvider provider, String baseUrl) {
            this.server = server;
            this.provider = provider;
            this.baseUrl = baseUrl;
        }

        public HttpServer server() {
            return server;
        }

        /** Where browsers reach it ({@code --redirect-base-uri}, default {@link AuthDemo#defaultBase}). */
        public String baseUrl() {
            return baseUrl;
        }

        /** The local provider's issuer URL, or null when a provider was configured. */
        public String localIssuer() {
            return provider == null ? null : provider.issuer();
        }

        @Override
        public void close() {
            server.close();
            if (provider != null) {
                provider.close();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            serve(DemoOptions.forDemo("auth"), args);
        } catch (ProviderUnavailableException e) {
            System.err.println("auth: " + e.getMessage());
            System.exit(1);
        }
        IOLoop.instance().start();
    }

    /** The local provider could not start (its jars are missing, or it cannot listen). */
    public static final class ProviderUnavailableException extends IOException {
        private static final long serialVersionUID = 1L;

        ProviderUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Parses the command line (usage errors exit 2, a taken port exits 1), starts the local
     * provider when none is configured, listens, and prints {@code listening on HOST:PORT}.
     *
     * @throws ProviderUnavailableException if the local provider cannot start (also when its jars are missing)
     * @throws IOException if the port cannot be bound (the options' exit handler has run)
     */
    public static Running serve(DemoOptions demo, String[] args) throws IOException {
        Config config = parseArgs(demo, args);
        LocalProvider provider = config.localProvider() ? startLocalProvider() : null;
        HttpServer server = null;
        try {
            Application app = new Application(List.of(), settings(config));
            server = demo.listen(config.port(), () -> new HttpServer(app).bind(config.port(), config.address()));
            // The routes come once the port is known: the redirect URIs name it.
            String base = config.redirectBaseUri() != null ? stripSlash(config.redirectBaseUri())
                    : defaultBase(config.address(), server.boundPorts().get(0));
            Site site = site(config, base, provider);
            app.addHandlers(".*", routes(site));
            server.start();
            demo.out().println(Demos.listeningLine(server.localAddresses().get(0)));
            demo.out().flush();
            LOG.info("open {}/ in a browser{}", base, provider == null ? ""
                    : "; the local OpenID provider is at " + provider.issuer());
            return new Running(server, provider, base);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (provider != null) {
                provider.close();
            }
            throw e;
        }
    }

    private static LocalProvider startLocalProvider() throws ProviderUnavailableException {
        try {
            return LocalProvider.start();
        } catch (NoClassDefFoundError e) {
            throw new ProviderUnavailableException("the local OpenID provider needs mock-oauth2-server and its "
                    + "dependencies on the class path (gale-demos/target/lib-auth/*.jar, which ./gale-demo auth adds); "
                    + "or configure a provider: --issuer URL --client-id ID --client-secret SECRET", e);
        } catch (IOException e) {
            throw new ProviderUnavailableException(e.getMessage(), e);
        }
    }

    /**
     * The application's settings: cookie secret, XSRF, the demo's templates and static files. (The
     * login URL is the first provider's redirect URI, known once the port is: {@link BaseHandler#getLoginUrl()}.)
     */
    static ApplicationSettings settings(Config config) {
        return ApplicationSettings.builder()
                .cookieSecret(config.cookieSecret())
                .xsrfCookies(true)
                .templateEngine(PebbleTemplateEngine.builder().classpath("io/gale/demos/auth/templates").build())
                .staticPath(ClasspathFiles.extract(AuthDemo.class, "static", List.of("auth.css")))
                .build();
    }

    /** The providers offered, each with its redirect URI under {@code base}. */
    static Site site(Config config, String base, LocalProvider local) {
        List<LoginProvider> logins = new ArrayList<>();
        if (local != null || config.issuer() != null) {
            String issuer = local != null ? local.issuer() : config.issuer();
            ClientRegistration registration = ClientRegistration.builder(local != null ? LOCAL_CLIENT_ID : config.clientId(),
                    base + LoginProvider.OpenId.PATH).clientSecret(local != null ? LOCAL_CLIENT_SECRET : config.clientSecret())
                    .build();
            OidcClient client = issuer.equals(Providers.GOOGLE_ISSUER) ? Providers.google(registration).build()
                    : local != null ? OidcClient.builder(issuer, registration).limits(LocalProvider.LIMITS).build()
                    : OidcClient.builder(issuer, registration).build();
            String label = local != null ? "the local provider"
                    : issuer.equals(Providers.GOOGLE_ISSUER) ? "Google" : URI.create(issuer).getHost();
            logins.add(new LoginProvider.OpenId(label, client));
        }
        if (config.githubClientId() != null) {
            ClientRegistration registration = ClientRegistration.of(config.githubClientId(), config.githubClientSecret(),
                    base + LoginProvider.GitHub.PATH);
            OAuth2Client client = config.githubUrl() == null ? Providers.github(registration).build()
                    : Providers.gitHubEnterprise(config.githubUrl(), registration).build();
            logins.add(new LoginProvider.GitHub("GitHub", client));
        }
        return new Site(logins, local == null ? null : local.issuer());
    }

    /** Tornado's demo URLs: {@code /}, a login handler per provider, {@code /auth/logout}; and {@code /me}. */
    static List<Route> routes(Site site) {
        List<Route> routes = new ArrayList<>();
        routes.add(Route.url("/", () -> new MainHandler(site)));
        for (LoginProvider p : site.logins()) {
            routes.add(Route.url(p.path(), () -> new LoginHandler(site, p)));
        }
        routes.add(Route.url("/auth/logout", () -> new LogoutHandler(site)));
        routes.add(Route.url("/me", () -> new MeHandler(site)));
        return routes;
    }

    /**
     * The command line (usage errors and {@code --help} exit through {@code demo}). All argument
     * parsing is here.
     */
    static Config parseArgs(DemoOptions demo, String[] args) {
        Option<Integer> port = demo.port(8888);
        Option<String> address = demo.parser().option("address", String.class).defaultValue("localhost")
                .help("the address to listen on (localhost: ::1 and 127.0.0.1; providers take plain-http redirect "
                        + "URIs on loopback only)").define();
        Option<String> base = demo.parser().option("redirect-base-uri", String.class).metavar("URL")
                .help("the URL browsers reach the demo at, under which providers send them back "
                        + "(default http://localhost:PORT, or http://ADDRESS:PORT with one --address): register BASE/auth/login "
                        + "(GitHub: BASE/auth/github)")
                .check(u -> !u.contains("?") && !u.contains("#"), "a URL without query or fragment").define();
        Option<String> issuer = demo.parser().option("issuer", String.class).metavar("URL").group("OpenID Connect")
                .help("the OpenID provider's issuer, e.g. https://accounts.google.com; without it (and without "
                        + "--github-client-id) the demo starts a local provider").define();
        Option<String> clientId = demo.parser().option("client-id", String.class).metavar("ID").group("OpenID Connect")
                .help("the client id registered at --issuer").define();
        Option<String> clientSecret = demo.parser().option("client-secret", String.class).metavar("SECRET")
                .group("OpenID Connect")
                .help("the client secret (the environment variable keeps it out of ps); none: a public client, PKCE only")
                .define();
        Option<String> githubId = demo.parser().option("github-client-id", String.class).metavar("ID").group("GitHub")
                .help("an OAuth app's client id, to log in with GitHub (also with --issuer)").define();
        Option<String> githubSecret = demo.parser().option("github-client-secret", String.class).metavar("SECRET")
                .group("GitHub").help("the OAuth app's client secret (the environment variable keeps it out of ps)").define();
        Option<String> githubUrl = demo.parser().option("github-url", String.class).metavar("URL").group("GitHub")
                .help("a GitHub Enterprise Server instead of github.com, e.g. https://github.example.com").define();
        Option<String> cookieSecret = demo.parser().option("cookie-secret", String.class).metavar("SECRET")
                .help("signs the session cookie, at least 32 bytes (default: random at each start, so sessions end "
                        + "with the process)")
                .check(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 32, "at least 32 bytes")
                .define();
        demo.parseOptionsOnly(args);

        if (issuer.get() != null && clientId.get() == null) {
            throw demo.parser().usageError("--issuer needs --client-id (and usually --client-secret)");
        }
        if (issuer.get() == null && (clientId.get() != null || clientSecret.get() != null)) {
            throw demo.parser().usageError("--client-id and --client-secret belong to an --issuer");
        }
        if ((githubId.get() == null) != (githubSecret.get() == null)) {
            throw demo.parser().usageError("--github-client-id and --github-client-secret go together");
        }
        if (githubUrl.get() != null && githubId.get() == null) {
            throw demo.parser().usageError("--github-url needs --github-client-id");
        }
        // io.gale.auth's own rules for URLs (https, or http on loopback), as usage errors
        for (Option<String> url : List.of(base, issuer, githubUrl)) {
            if (url.get() != null) {
                try {
                    ClientRegistration.builder("-", url.get() + "/auth/login").build();
                } catch (IllegalArgumentException e) {
                    throw demo.parser().usageError("--" + url.name() + " must be an absolute https URL (http only on a "
                            + "loopback host): " + url.get());
                }
            }
        }
        return new Config(port.get(), address.get(), base.get(), issuer.get(), clientId.get(), clientSecret.get(),
                githubId.get(), githubSecret.get(), githubUrl.get(),
                cookieSecret.get() != null ? cookieSecret.get() : randomSecret());
    }

    /** {@code http://localhost:PORT}, or the address itself when the demo listens on one loopback address only. */
    static String defaultBase(String address, int port) {
        String host = address == null || address.isEmpty() || address.equalsIgnoreCase("localhost")
                || address.equals("0.0.0.0") || address.equals("::") ? "localhost"
                : address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
        return "http://" + host + ":" + port;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
