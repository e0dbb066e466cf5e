package io.gale.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gale.http.HttpUtil;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Logins against {@link FakeProvider}, a provider of the tests' own, for what a real one does not
 * do: ID tokens signed with a key not in the JWKS (same key id, or a made-up one), {@code none}
 * and HMAC algorithms, a key rotation, bent {@code azp}, {@code iat}, {@code nbf}, {@code sub}
 * and {@code nonce}, a userinfo about someone else, a mix-up {@code iss} in the callback, a
 * provider that goes down mid-login; and the protocol details: both client authentications,
 * the discovery and JWKS caches and the JWKS refresh bound (on an injected clock), the GitHub
 * preset. Real sockets throughout; the JDK HttpClient is the browser.
 */
@Timeout(120)
class FakeProviderTest {
    static final String CLIENT_ID = "fake-client";
    static final String CLIENT_SECRET = "fake-secret: 0123456789/abcdef+0123456789ü";

    static FakeProvider provider;
    static LoginApp app;
    String name;

    @BeforeAll
    static void start() throws Exception {
        provider = new FakeProvider(CLIENT_ID);
        app = new LoginApp();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    @BeforeEach
    void fresh(TestInfo info) {
        provider.reset();
        name = info.getTestMethod().orElseThrow().getName().toLowerCase(java.util.Locale.ROOT);
    }

    /** A fresh client (fresh caches) for this test, at {@code /login/<test name>}. */
    OidcClient client(Consumer<OidcClient.Builder> options) {
        return client(name, options, ClientRegistration.of(CLIENT_ID, CLIENT_SECRET, app.redirectUri(name)));
    }

    OidcClient client(String name, Consumer<OidcClient.Builder> options, ClientRegistration registration) {
        OidcClient.Builder b = OidcClient.builder(provider.issuer, registration);
        options.accept(b);
        OidcClient c = b.build();
        app.clients.put(name, c);
        return c;
    }

    /** One login through the provider; the callback's response. */
    HttpResponse<String> login(Browser b) throws Exception {
        return login(b, name);
    }

    HttpResponse<String> login(Browser b, String client) throws Exception {
        HttpResponse<String> r = b.get(app.base + "/login/" + client);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        r = b.get(Browser.location(r));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        return b.get(Browser.location(r));
    }

    static void assertRefused(Browser b, HttpResponse<String> r, int status, String page) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).isEqualTo(page);
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("user="));
        assertThat(b.cookie("user")).isNull();
        assertThat(b.get(app.base + "/account").statusCode()).isEqualTo(302);
    }

    static void assertLoggedIn(Browser b, HttpResponse<String> r, String subject) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        HttpResponse<String> page = b.get(app.base + "/account");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("Hello, " + subject);
    }

    @Test
    void aNormalLoginWorksAndMergesUserinfo() throws Exception {
        client(c -> { });
        Browser b = new Browser();
        assertLoggedIn(b, login(b), "user-42");
        AuthenticatedUser user = app.users.get(name);
        assertThat(user.claims()).containsEntry("email", "ann@example.com").containsEntry("name", "Ann")
                .containsEntry("iss", provider.issuer).containsKey("nonce");
    }

    @Test
    void aTokenSignedWithAKeyNotInTheJwksIsRefused() throws Exception {
        client(c -> { });
        provider.signingKey = FakeProvider.newKey("k1"); // same key id, another key
        Browser b = new Browser();
        assertRefused(b, login(b), 403, "403: INVALID_ID_TOKEN");
        assertThat(provider.jwksFetches.get()).isEqualTo(1); // the key id is known: no refresh
    }

    @Test
    void anUnknownKeyIdRefreshesTheJwksAtMostOncePerInterval() throws Exception {
        MutableClock clock = MutableClock.system();
        client(c -> c.clock(clock));
        Browser b = new Browser();
        assertLoggedIn(b, login(b), "user-42");
        assertThat(provider.jwksFetches.get()).isEqualTo(1);

        provider.signingKey = FakeProvider.newKey("made-up");
        for (int i = 0; i < 3; i++) {
            Browser attacker = new Browser();
            assertRefused(attacker, login(attacker), 403, "403: INVALID_ID_TOKEN");
        }
        assertThat(provider.jwksFetches.get()).isEqualTo(1); // fetched less than a minute ago
        clock.advance(Duration.ofSeconds(61));
        Browser again = new Browser();
        assertRefused(again, login(again), 403, "403: INVALID_ID_TOKEN");
        assertThat(provider.jwksFetches.get()).isEqualTo(2);
        Browser third = new Browser();
        assertRefused(third, login(third), 403, "403: INVALID_ID_TOKEN");
        assertThat(provider.jwksFetches.get()).isEqualTo(2);
    }

    @Test
    void aRotatedKeyIsFetchedAndAccepted() throws Exception {
        MutableClock clock = MutableClock.system();
        client(c -> c.clock(clock));
        Browser b = new Browser();
        assertLoggedIn(b, login(b), "user-42");
        clock.advance(Duration.ofMinutes(2));
        provider.publishedKey = FakeProvider.newKey("k2");
        provider.signingKey = provider.publishedKey;
        Browser next = new Browser();
        assertLoggedIn(next, login(next), "user-42");
        assertThat(provider.jwksFetches.get()).isEqualTo(2);
    }

    @Test
    void noneAndHmacAlgorithmsAreRefused() throws Exception {
        client(c -> { });
        // alg=none: the claims as the provider would make them, unsigned
        provider.rawIdToken = grant -> {
            String header = b64("{\"alg\":\"none\"}");
            String claims = b64("{\"iss\":\"" + provider.issuer + "\",\"sub\":\"admin\",\"aud\":\"" + CLIENT_ID
                    + "\",\"nonce\":\"" + grant.nonce() + "\",\"iat\":" + Instant.now().getEpochSecond()
                    + ",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}");
            return header + "." + claims + ".";
        };
        Browser b = new Browser();
        assertRefused(b, login(b), 403, "403: INVALID_ID_TOKEN");
        // HS256 keyed with the client secret (which the provider lists as supported)
        provider.rawIdToken = grant -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                        .issuer(provider.issuer).subject("admin").audience(CLIENT_ID).claim("nonce", grant.nonce())
                        .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
                jwt.sign(new MACSigner(CLIENT_SECRET.getBytes(StandardCharsets.UTF_8)));
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Browser h = new Browser();
        assertRefused(h, login(h), 403, "403: INVALID_ID_TOKEN");
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bentClaimsAreRefused() throws Exception {
        client(c -> c.additionalAudience("other-client"));
        Instant now = Instant.now();
        List<Consumer<JWTClaimsSet.Builder>> bends = List.of(
                c -> c.claim("azp", "other-client"),                            // azp not the client
                c -> c.audience(List.of(CLIENT_ID, "other-client")),            // several audiences, no azp
                c -> c.issueTime(Date.from(now.minus(Duration.ofMinutes(20)))), // iat too old (exp still ahead)
                c -> c.issueTime(Date.from(now.plus(Duration.ofMinutes(5)))),   // iat in the future
                c -> c.issueTime(null),                                         // no iat
                c -> c.expirationTime(null),                                    // no exp
                c -> c.notBeforeTime(Date.from(now.plus(Duration.ofMinutes(5)))), // not yet valid
                c -> c.subject(null),                                           // no sub
                c -> c.claim("nonce", null),                                    // no nonce
                c -> c.claim("nonce", 42));                                     // nonce not a string
        for (Consumer<JWTClaimsSet.Builder> bend : bends) {
            provider.claims = bend;
            Browser b = new Browser();
            assertRefused(b, login(b), 403, "403: INVALID_ID_TOKEN");
        }
        // several audiences with azp naming the client, the other one trusted: accepted
        provider.claims = c -> c.audience(List.of(CLIENT_ID, "other-client")).claim("azp", CLIENT_ID);
        Browser ok = new Browser();
        assertLoggedIn(ok, login(ok), "user-42");
    }

    @Test
    void aUserinfoAboutSomeoneElseIsRefused() throws Exception {
        client(c -> { });
        provider.userinfoSubject = "someone-else";
        Browser b = new Browser();
        assertRefused(b, login(b), 502, "502: INVALID_RESPONSE");
        // without userinfo the ID token alone says who it is
        client(name + "-idonly", c -> c.fetchUserinfo(false),
                ClientRegistration.of(CLIENT_ID, CLIENT_SECRET, app.redirectUri(name + "-idonly")));
        Browser ok = new Browser();
        assertLoggedIn(ok, login(ok, name + "-idonly"), "user-42");
    }

    @Test
    void aCallbackNamingAnotherIssuerIsRefused() throws Exception {
        client(c -> { });
        Browser b = new Browser();
        HttpResponse<String> r = b.get(app.base + "/login/" + name);
        r = b.get(Browser.location(r));
        String callback = Browser.location(r);
        assertRefused(b, b.get(callback + "&iss=" + HttpUtil.urlEncode("https://evil.example")), 400,
                "400: INVALID_CALLBACK");
        Browser ok = new Browser();
        r = ok.get(app.base + "/login/" + name);
        r = ok.get(Browser.location(r));
        assertLoggedIn(ok, ok.get(Browser.location(r) + "&iss=" + HttpUtil.urlEncode(provider.issuer)), "user-42");
    }

    @Test
    void aForgedOrForeignLoginCookieIsNoLogin() throws Exception {
        client(c -> { });
        Browser b = new Browser();
        HttpResponse<String> r = b.get(app.base + "/login/" + name);
        r = b.get(Browser.location(r));
        String callback = Browser.location(r);
        String real = b.cookie("_oauth2_login");
        // a well-formed login for this callback's state, signed with another application's secret
        String state = HttpUtil.parseQueryString(URI.create(callback).getRawQuery()).get("state").get(0);
        String payload = "{\"state\":\"" + state + "\",\"nonce\":\"n\",\"verifier\":\"v\",\"next\":\"/\",\"iat\":"
                + Instant.now().getEpochSecond() + "}";
        String foreign = io.gale.web.SignedValues.of("another-application-secret-0123456789abcdef")
                .createSignedValue("_oauth2_login", payload);
        for (String value : List.of(foreign, real.substring(0, real.length() - 2) + "00", "garbage", "")) {
            Browser other = new Browser();
            java.net.HttpCookie cookie = new java.net.HttpCookie("_oauth2_login", value);
            cookie.setPath("/login/" + name);
            cookie.setVersion(0);
            other.cookies.getCookieStore().add(URI.create(app.base), cookie);
            assertRefused(other, other.get(callback), 400, "400: INVALID_CALLBACK");
        }
        assertLoggedIn(b, b.get(callback), "user-42");
    }

    @Test
    void clientSecretBasicEncodesTheCredentials() throws Exception {
        client(c -> { });
        Browser b = new Browser();
        assertLoggedIn(b, login(b), "user-42");
        FakeProvider.TokenCall call = provider.tokenCalls().get(0);
        assertThat(call.form()).doesNotContainKeys("client_id", "client_secret").containsKey("code_verifier");
        assertThat(call.form().get("grant_type")).containsExactly("authorization_code");
        assertThat(call.form().get("redirect_uri")).containsExactly(app.redirectUri(name));
        String basic = new String(Base64.getDecoder().decode(call.authorization().substring("Basic ".length())),
                StandardCharsets.UTF_8);
        // RFC 6749 2.3.1: each part form-urlencoded before joining
        assertThat(basic).isEqualTo(HttpUtil.urlEncode(CLIENT_ID, true) + ":" + HttpUtil.urlEncode(CLIENT_SECRET, true));
        int colon = basic.indexOf(':');
        assertThat(HttpUtil.urlDecode(basic.substring(colon + 1), true)).isEqualTo(CLIENT_SECRET);
    }

    @Test
    void clientSecretPostWhenAskedOrWhenTheProviderListsOnlyIt() throws Exception {
        client(name, c -> { }, ClientRegistration.builder(CLIENT_ID, app.redirectUri(name)).clientSecret(CLIENT_SECRET)
                .authMethod(ClientAuthMethod.CLIENT_SECRET_POST).build());
        Browser b = new Browser();
        assertLoggedIn(b, login(b), "user-42");
        assertThat(provider.tokenCalls().get(0).authorization()).isNull();
        assertThat(provider.tokenCalls().get(0).form().get("client_secret")).containsExactly(CLIENT_SECRET);

        provider.tokenCalls.clear();
        provider.discoveryOverrides.put("token_endpoint_auth_methods_supported", List.of("client_secret_post"));
        client(name + "-auto", c -> { }, ClientRegistration.of(CLIENT_ID, CLIENT_SECRET, app.redirectUri(name + "-auto")));
        Browser auto = new Browser();
        assertLoggedIn(auto, login(auto, name + "-auto"), "user-42");
        assertThat(provider.tokenCalls().get(0).authorization()).isNull();
        assertThat(provider.tokenCalls().get(0).form().get("client_id")).containsExactly(CLIENT_ID);
    }

    @Test
    void theDiscoveryDocumentIsCachedForItsLifetime() throws Exception {
        MutableClock clock = MutableClock.system();
        client(c -> c.clock(clock));
        int before = provider.discoveryFetches.get();
        for (int i = 0; i < 3; i++) {
            Browser b = new Browser();
            assertLoggedIn(b, login(b), "user-42");
        }
        assertThat(provider.discoveryFetches.get() - before).isEqualTo(1);
        clock.advance(Duration.ofMinutes(61));
        Browser b = new Browser();
        HttpResponse<String> r = b.get(app.base + "/login/" + name);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(provider.discoveryFetches.get() - before).isEqualTo(2);
    }

    @Test
    @SuppressWarnings("try") // the provider is closed mid-test on purpose; the resource closes it again
    void aProviderGoingDownMidLoginGivesAClearErrorPage() throws Exception {
        try (FakeProvider doomed = new FakeProvider(CLIENT_ID)) {
            OidcClient c = OidcClient.builder(doomed.issuer, ClientRegistration.of(CLIENT_ID, CLIENT_SECRET,
                    app.redirectUri(name))).build();
            app.clients.put(name, c);
            Browser b = new Browser();
            HttpResponse<String> r = b.get(app.base + "/login/" + name);
            r = b.get(Browser.location(r));
            String callback = Browser.location(r);
            doomed.close();
            r = b.get(callback);
            assertRefused(b, r, 502, "502: PROVIDER_UNAVAILABLE");
            assertThat(r.headers().allValues("Set-Cookie")).anyMatch(v -> v.startsWith("_oauth2_login=;"));
        }
    }

    @Test
    void theGenericOAuth2ClientLogsInRefreshesAndCallsTheApi() throws Exception {
        io.gale.ioloop.IOLoop loop = new io.gale.ioloop.IOLoop();
        loop.startInBackground();
        try (io.gale.httpclient.AsyncHttpClient http = new io.gale.httpclient.AsyncHttpClient(loop)) {
            OAuth2Client oauth = OAuth2Client.builder(ClientRegistration.of(CLIENT_ID, CLIENT_SECRET, app.redirectUri(name)),
                    provider.issuer + "/authorize", provider.issuer + "/token")
                    .userinfoUrl(provider.issuer + "/userinfo", "sub").defaultScopes("profile").httpClient(http).build();
            app.clients.put(name, oauth);
            Browser b = new Browser();
            HttpResponse<String> r = b.get(app.base + "/login/" + name);
            String authorize = Browser.location(r);
            Map<String, List<String>> q = HttpUtil.parseQueryString(URI.create(authorize).getRawQuery());
            assertThat(q).doesNotContainKey("nonce");
            assertThat(q.get("scope")).containsExactly("profile");
            r = b.get(authorize);
            assertLoggedIn(b, b.get(Browser.location(r)), "user-42");
            AuthenticatedUser user = app.users.get(name);
            assertThat(user.stringClaim("email")).isEqualTo("ann@example.com");
            assertThat(provider.tokenCalls().get(0).authorization()).startsWith("Basic ");

            TokenResponse refreshed = oauth.refresh(user.tokens().refreshToken(), "profile").get(30,
                    java.util.concurrent.TimeUnit.SECONDS);
            assertThat(refreshed.accessToken()).isEqualTo("at-refreshed");
            FakeProvider.TokenCall call = provider.tokenCalls().get(1);
            assertThat(call.form().get("grant_type")).containsExactly("refresh_token");
            assertThat(call.form().get("refresh_token")).containsExactly("rt-user-42");
            assertThat(call.form().get("scope")).containsExactly("profile");

            assertThat(oauth.oauth2Request(provider.issuer + "/userinfo", "at-user-42").get(30,
                    java.util.concurrent.TimeUnit.SECONDS).get("email").asText()).isEqualTo("ann@example.com");
            // a refused token is a clear error, not a JSON parse failure
            assertThat(oauth.oauth2Request(provider.issuer + "/userinfo", "wrong")).failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(OAuth2Exception.class, e -> {
                        assertThat(e.kind()).isEqualTo(OAuth2Exception.Kind.PROVIDER_ERROR);
                        assertThat(e.error()).isEqualTo("invalid_token");
                    });
        } finally {
            loop.stop();
        }
    }

    @Test
    void gitHubLogsInWithItsApiUser() throws Exception {
        OAuth2Client github = Providers.gitHubEnterprise(provider.issuer, ClientRegistration.of(CLIENT_ID, "gh-secret",
                app.redirectUri(name))).build();
        app.clients.put(name, github);
        Browser b = new Browser();
        HttpResponse<String> r = b.get(app.base + "/login/" + name + "?next=%2Faccount");
        String authorize = Browser.location(r);
        assertThat(authorize).startsWith(provider.issuer + "/login/oauth/authorize?");
        Map<String, List<String>> q = HttpUtil.parseQueryString(URI.create(authorize).getRawQuery());
        assertThat(q).doesNotContainKey("nonce").containsKeys("state", "code_challenge");
        assertThat(q.get("scope")).containsExactly("read:user");
        r = b.get(authorize);
        String callback = Browser.location(r);
        String loginCookie = b.cookie("_oauth2_login");
        r = b.get(callback);
        assertThat(r.headers().firstValue("Location")).hasValue("/account");
        assertLoggedIn(b, r, "583231");
        AuthenticatedUser user = app.users.get(name);
        assertThat(user.stringClaim("login")).isEqualTo("octo-ann");
        assertThat(user.claims()).containsEntry("email", null);
        assertThat(user.tokens().tokenType()).isEqualTo("bearer");
        FakeProvider.TokenCall call = provider.tokenCalls().get(0);
        assertThat(call.authorization()).isNull();
        assertThat(call.form().get("client_secret")).containsExactly("gh-secret");

        // the code again, with a copy of the login cookie: GitHub's 200-with-error is an error
        Browser thief = new Browser();
        java.net.HttpCookie cookie = new java.net.HttpCookie("_oauth2_login", loginCookie);
        cookie.setPath("/login/" + name);
        cookie.setVersion(0);
        thief.cookies.getCookieStore().add(URI.create(app.base), cookie);
        assertRefused(thief, thief.get(callback), 400, "400: PROVIDER_ERROR bad_verification_code");
    }
}
