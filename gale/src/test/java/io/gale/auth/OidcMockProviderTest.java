package io.gale.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpUtil;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.ioloop.IOLoop;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OpenID Connect logins against a real OpenID provider, mock-oauth2-server (NAV's, on Nimbus's
 * OAuth 2 SDK), started on a free loopback port by this test: discovery, JWKS, authorization
 * (automatic, and its interactive login form), code exchange with PKCE, userinfo, refresh. The
 * JDK's HttpClient with a cookie jar is the browser, following every redirect by hand: protected
 * page → login handler → provider → callback → signed session cookie → protected page. And the
 * failures, each ending on an error page with no session cookie: wrong state, no login cookie,
 * a replayed code, expired ID tokens (the provider's clock, and Gale's injected clock), nonce,
 * audience and issuer the provider was told to get wrong, a provider that is down, the user
 * refusing at the provider.
 */
@Timeout(120)
class OidcMockProviderTest {
    static final String CLIENT_ID = "gale-app";
    static final String CLIENT_SECRET = "gale-app-secret";

    static MockOAuth2Server provider;
    static MockOAuth2Server interactiveProvider;
    static String issuer;
    static String interactiveIssuer;
    static LoginApp app;
    static IOLoop loop;
    static AsyncHttpClient http;

    @BeforeAll
    static void start() throws Exception {
        provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        issuer = "http://127.0.0.1:" + provider.url("/").port() + "/default";
        interactiveProvider = new MockOAuth2Server(new OAuth2Config(true));
        interactiveProvider.start(InetAddress.getByName("127.0.0.1"), 0);
        interactiveIssuer = "http://127.0.0.1:" + interactiveProvider.url("/").port() + "/default";
        app = new LoginApp();
        app.clients.put("main", client("main", issuer, b -> { }));
        loop = new IOLoop();
        loop.startInBackground();
        http = new AsyncHttpClient(loop);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (provider != null) {
            provider.shutdown();
        }
        if (interactiveProvider != null) {
            interactiveProvider.shutdown();
        }
        if (http != null) {
            http.close();
            loop.stop();
        }
    }

    static final Duration PROVIDER_TIMEOUT = Duration.ofSeconds(40);

    static OidcClient client(String name, String issuer, Consumer<OidcClient.Builder> options) {
        OidcClient.Builder b = OidcClient.builder(issuer, ClientRegistration.of(CLIENT_ID, CLIENT_SECRET,
                app.redirectUri(name)));
        // the provider is another JVM's server on a machine CI may load heavily: more than the
        // library's 10 s for its first answers (discovery), which JIT-compile its code
        b.limits(AuthLimits.builder().requestTimeout(PROVIDER_TIMEOUT).build());
        options.accept(b);
        return b.build();
    }

    /** The browser's way from the protected page to the provider's answer: the callback URL. */
    static String toCallback(Browser b, String name, String next) throws Exception {
        HttpResponse<String> r = b.get(app.base + "/login/" + name + (next == null ? "" : "?next=" + HttpUtil.urlEncode(next)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        String authorize = Browser.location(r);
        r = b.get(authorize);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        String callback = Browser.location(r);
        assertThat(callback).startsWith(app.redirectUri(name) + "?");
        return callback;
    }

    static void assertNotLoggedIn(Browser b, HttpResponse<String> r) throws Exception {
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("user="));
        assertThat(b.cookie("user")).isNull();
        assertThat(b.get(app.base + "/account").statusCode()).isEqualTo(302);
    }

    @Test
    void theWholeFlowFromProtectedPageThroughTheProviderAndBack() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> r = b.get(app.base + "/account");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/login/main?next=%2Faccount");

        r = b.get(Browser.location(r));
        assertThat(r.statusCode()).isEqualTo(302);
        String authorize = Browser.location(r);
        assertThat(authorize).startsWith(issuer + "/authorize?");
        Map<String, List<String>> q = HttpUtil.parseQueryString(URI.create(authorize).getRawQuery());
        assertThat(q.get("response_type")).containsExactly("code");
        assertThat(q.get("client_id")).containsExactly(CLIENT_ID);
        assertThat(q.get("redirect_uri")).containsExactly(app.redirectUri("main"));
        assertThat(q.get("scope")).containsExactly("openid email profile");
        assertThat(q.get("code_challenge_method")).containsExactly("S256");
        assertThat(q.get("state").get(0)).hasSize(43);
        assertThat(q.get("nonce").get(0)).hasSize(43).isNotEqualTo(q.get("state").get(0));
        assertThat(q.get("code_challenge").get(0)).hasSize(43);
        assertThat(r.headers().allValues("Set-Cookie")).singleElement().satisfies(c -> assertThat(c)
                .startsWith("_oauth2_login=").contains("Path=/login/main", "HttpOnly", "SameSite=Lax", "Max-Age=600")
                .doesNotContain("Expires="));

        r = b.get(authorize);
        assertThat(r.statusCode()).isEqualTo(302);
        String callback = Browser.location(r);
        Map<String, List<String>> back = HttpUtil.parseQueryString(URI.create(callback).getRawQuery());
        assertThat(back.get("state")).isEqualTo(q.get("state"));

        r = b.get(callback);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/account");
        assertThat(r.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("user=2|1:0|"))
                .anyMatch(c -> c.startsWith("_oauth2_login=;") && c.contains("Max-Age=0"));
        assertThat(b.cookie("_oauth2_login")).isNull();

        AuthenticatedUser user = app.users.get("main");
        assertThat(user.subject()).isNotBlank();
        assertThat(user.claims()).containsEntry("iss", issuer).containsEntry("aud", CLIENT_ID)
                .containsEntry("sub", user.subject()).containsEntry("nonce", q.get("nonce").get(0));
        assertThat(user.tokens().idToken()).isNotNull();
        assertThat(user.tokens().refreshToken()).isNotNull();

        r = b.get(app.base + "/account");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Hello, " + user.subject());

        // the refresh token works at the same provider
        OidcClient direct = OidcClient.builder(issuer, ClientRegistration.of(CLIENT_ID, CLIENT_SECRET,
                app.redirectUri("main"))).httpClient(http)
                .limits(AuthLimits.builder().requestTimeout(PROVIDER_TIMEOUT).build()).build();
        TokenResponse refreshed = direct.refresh(user.tokens().refreshToken()).get(30, TimeUnit.SECONDS);
        assertThat(refreshed.accessToken()).isNotBlank().isNotEqualTo(user.tokens().accessToken());
    }

    @Test
    void theProvidersInteractiveLoginFormNamesTheUser() throws Exception {
        app.clients.putIfAbsent("interactive", client("interactive", interactiveIssuer,
                b -> b.defaultNext("/account")));
        Browser b = new Browser();
        HttpResponse<String> r = b.get(app.base + "/login/interactive");
        String authorize = Browser.location(r);
        assertThat(authorize).startsWith(interactiveIssuer + "/authorize?");
        r = b.get(authorize);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<form method=\"post\">", "name=\"username\"");
        // the form posts back to the authorization URL itself
        r = b.postForm(authorize, "username=alice&claims=" + HttpUtil.urlEncode("{\"email\":\"alice@example.org\"}", true));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        r = b.get(Browser.location(r));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/account");
        assertThat(b.get(app.base + "/account").body()).isEqualTo("Hello, alice");
        AuthenticatedUser user = app.users.get("interactive");
        assertThat(user.subject()).isEqualTo("alice");
        assertThat(user.stringClaim("email")).isEqualTo("alice@example.org");
    }

    @Test
    void aSafeNextIsKeptThroughTheLoginAndAnOffSiteOneIsNot() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> r = b.get(toCallback(b, "main", "/account?tab=2"));
        assertThat(r.headers().firstValue("Location")).hasValue("/account?tab=2");
        for (String next : List.of("//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)")) {
            Browser other = new Browser();
            r = other.get(toCallback(other, "main", next));
            assertThat(r.statusCode()).isEqualTo(302);
            assertThat(r.headers().firstValue("Location")).as(next).hasValue("/");
        }
    }

    @Test
    void aCallbackWithAnotherStateIsRefusedAndLeavesTheLoginUsable() throws Exception {
        Browser b = new Browser();
        String callback = toCallback(b, "main", null);
        String forged = callback.replaceFirst("state=[^&]+", "state=" + LoginFlow.random());
        HttpResponse<String> r = b.get(forged);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("400: INVALID_CALLBACK");
        assertNotLoggedIn(b, r);
        // a forged callback cannot cancel the real one
        r = b.get(callback);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(b.get(app.base + "/account").statusCode()).isEqualTo(200);
    }

    @Test
    void aCallbackWithoutStateOrWithoutTheLoginCookieIsRefused() throws Exception {
        Browser b = new Browser();
        String callback = toCallback(b, "main", null);
        HttpResponse<String> r = b.get(callback.replaceFirst("[&?]state=[^&]+", ""));
        assertThat(r.statusCode()).isEqualTo(400);
        assertNotLoggedIn(b, r);
        Browser stranger = new Browser(); // the callback URL in another browser (a leaked link)
        r = stranger.get(callback);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("400: INVALID_CALLBACK");
        assertNotLoggedIn(stranger, r);
    }

    @Test
    void aReplayedCodeIsRefusedByTheProvider() throws Exception {
        Browser b = new Browser();
        String callback = toCallback(b, "main", null);
        String loginCookie = b.cookie("_oauth2_login");
        assertThat(b.get(callback).statusCode()).isEqualTo(302);
        assertThat(b.get(app.base + "/account").statusCode()).isEqualTo(200);

        // the same callback again in the same browser: the login cookie is spent
        HttpResponse<String> r = b.get(callback);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("400: INVALID_CALLBACK");

        // an attacker with the callback URL and a copy of the login cookie: the provider refuses the used code
        Browser thief = new Browser();
        thief.cookies.getCookieStore().add(URI.create(app.base), cookie("_oauth2_login", loginCookie, "/login/main"));
        r = thief.get(callback);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("400: PROVIDER_ERROR invalid_grant");
        assertNotLoggedIn(thief, r);
    }

    private static java.net.HttpCookie cookie(String name, String value, String path) {
        java.net.HttpCookie c = new java.net.HttpCookie(name, value);
        c.setPath(path);
        c.setVersion(0);
        return c;
    }

    @Test
    void anIdTokenThatExpiredByTheProvidersClockIsRefused() throws Exception {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "late-user", "JWT", null, Map.of(), -300L));
        Browser b = new Browser();
        HttpResponse<String> r = b.get(toCallback(b, "main", null));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("403: INVALID_ID_TOKEN");
        assertNotLoggedIn(b, r);
    }

    @Test
    void anIdTokenThatExpiredByGalesClockIsRefused() throws Exception {
        MutableClock clock = MutableClock.system();
        app.clients.put("clock", client("clock", issuer, c -> c.clock(clock)
                .limits(AuthLimits.builder().requestTimeout(PROVIDER_TIMEOUT).flowLifetime(Duration.ofDays(1)).build())));
        // within the token's hour (and the iat freshness bound): logged in
        Browser b = new Browser();
        String callback = toCallback(b, "clock", null);
        clock.advance(Duration.ofMinutes(5));
        assertThat(b.get(callback).statusCode()).isEqualTo(302);
        assertThat(b.get(app.base + "/account").statusCode()).isEqualTo(200);
        // the browser took two hours at the provider: the token it brings back is an hour expired
        Browser slow = new Browser();
        callback = toCallback(slow, "clock", null);
        clock.advance(Duration.ofHours(2));
        HttpResponse<String> r = slow.get(callback);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("403: INVALID_ID_TOKEN");
        assertNotLoggedIn(slow, r);
    }

    @Test
    void aLoginOlderThanTheFlowLifetimeIsRefused() throws Exception {
        MutableClock clock = MutableClock.system();
        app.clients.put("flow", client("flow", issuer, c -> c.clock(clock)));
        Browser b = new Browser();
        String callback = toCallback(b, "flow", null);
        clock.advance(Duration.ofMinutes(11));
        HttpResponse<String> r = b.get(callback);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("400: INVALID_CALLBACK");
        assertNotLoggedIn(b, r);
    }

    @Test
    void aNonceMismatchIsRefused() throws Exception {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "sub-n", "JWT", null,
                Map.of("nonce", LoginFlow.random()), 3600L));
        Browser b = new Browser();
        HttpResponse<String> r = b.get(toCallback(b, "main", null));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("403: INVALID_ID_TOKEN");
        assertNotLoggedIn(b, r);
    }

    /** (The provider always sets azp to the client itself; FakeProviderTest bends azp.) */
    @Test
    void anotherAudienceOrIssuerIsRefused() throws Exception {
        for (Map<String, Object> claims : List.<Map<String, Object>>of(Map.of("aud", List.of("another-app")),
                Map.of("aud", List.of(CLIENT_ID, "another-app")),
                Map.of("iss", "http://127.0.0.1:1/default"), Map.of("iss", issuer + "/"))) {
            provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "sub-a", "JWT", null, claims, 3600L));
            Browser b = new Browser();
            HttpResponse<String> r = b.get(toCallback(b, "main", null));
            assertThat(r.statusCode()).as(claims.toString()).isEqualTo(403);
            assertThat(r.body()).isEqualTo("403: INVALID_ID_TOKEN");
            assertNotLoggedIn(b, r);
        }
        // an audience the client trusts, with azp naming the client: accepted
        app.clients.put("trusting", client("trusting", issuer, c -> c.additionalAudience("another-app")));
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "sub-t", "JWT", null,
                Map.of("aud", List.of(CLIENT_ID, "another-app")), 3600L));
        Browser b = new Browser();
        assertThat(b.get(toCallback(b, "trusting", null)).statusCode()).isEqualTo(302);
        assertThat(b.get(app.base + "/account").body()).isEqualTo("Hello, sub-t");
    }

    @Test
    void aDiscoveryDocumentForAnotherIssuerIsRefused() throws Exception {
        // the provider's document for ".../default" names ".../default", not ".../default/"
        app.clients.put("slash", client("slash", issuer + "/", c -> { }));
        Browser b = new Browser();
        HttpResponse<String> r = b.get(app.base + "/login/slash");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("502: INVALID_RESPONSE");
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void aProviderThatIsDownGivesAClearErrorPageAndNoCookies() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        app.clients.put("down", client("down", "http://127.0.0.1:" + port + "/default", c -> { }));
        Browser b = new Browser();
        HttpResponse<String> r = b.get(app.base + "/login/down?next=%2Faccount");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("502: PROVIDER_UNAVAILABLE");
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertNotLoggedIn(b, r);
    }

    @Test
    void theUserRefusingAtTheProviderIsAccessDenied() throws Exception {
        Browser b = new Browser();
        String callback = toCallback(b, "main", null);
        String state = HttpUtil.parseQueryString(URI.create(callback).getRawQuery()).get("state").get(0);
        HttpResponse<String> r = b.get(app.redirectUri("main") + "?error=access_denied&error_description=User+said+no&state="
                + state);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("403: ACCESS_DENIED access_denied");
        assertNotLoggedIn(b, r);
        // the login is over: its code cannot be used any more in this browser
        assertThat(b.get(callback).statusCode()).isEqualTo(400);
    }
}
