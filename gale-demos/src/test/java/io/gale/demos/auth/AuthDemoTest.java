package io.gale.demos.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.demos.DemoOptions;
import io.gale.http.HttpUtil;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The auth demo over real sockets, with the JDK's HttpClient as the browser (cookie jar, every
 * redirect asserted and followed by hand): the start page, the whole login through the local
 * provider's own login form (mock-oauth2-server, started by the demo), the claims page (escaped),
 * {@code /me} behind {@code @Authenticated}, the logout with and without its XSRF token; and the
 * failures, each an error page in words with no session cookie: the provider down before the
 * login, the provider going down between its login form and the callback, a login cancelled at
 * the provider, a callback in another browser, a tampered session cookie.
 */
@Timeout(120)
class AuthDemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern XSRF = Pattern.compile("name=\"_xsrf\" value=\"([^\"]+)\"");

    static AuthDemo.Running demo;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        demo = serve("--port", "0", "--address", "127.0.0.1");
        base = demo.baseUrl();
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    /** The demo in this JVM; its output is discarded, an exit request fails the test. */
    static AuthDemo.Running serve(String... args) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return AuthDemo.serve(new DemoOptions("auth", quiet, quiet, code -> {
            throw new AssertionError("the demo asked to exit with " + code);
        }), args);
    }

    @Test
    void theStartPageOffersTheLocalProviderAndSaysItIsLocal() throws Exception {
        assertThat(base).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(demo.localIssuer()).matches("http://127\\.0\\.0\\.1:\\d+/gale-demo");
        HttpBrowser b = new HttpBrowser();
        HttpResponse<String> r = b.get(base + "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(r.body()).contains("<a class=\"button\" id=\"login-oidc\" href=\"" + base + "/auth/login\">"
                + "Log in with the local provider</a>")
                .contains("<aside id=\"local-provider\">", "<code>" + demo.localIssuer() + "</code>")
                .doesNotContain("Hello,");
        Matcher css = Pattern.compile("href=\"(/static/auth\\.css\\?v=[0-9a-f]+)\"").matcher(r.body());
        assertThat(css.find()).isTrue();
        HttpResponse<String> sheet = b.get(base + css.group(1));
        assertThat(sheet.statusCode()).isEqualTo(200);
        assertThat(sheet.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(sheet.body()).contains(".button");
    }

    @Test
    void theWholeLoginThroughTheProvidersLoginFormThenTheClaimsThenTheLogout() throws Exception {
        HttpBrowser b = new HttpBrowser();
        HttpResponse<String> r = b.get(base + "/auth/login");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        String authorize = HttpBrowser.location(r);
        assertThat(authorize).startsWith(demo.localIssuer() + "/authorize?");
        Map<String, List<String>> q = HttpUtil.parseQueryString(URI.create(authorize).getRawQuery());
        assertThat(q.get("redirect_uri")).containsExactly(base + "/auth/login");
        assertThat(q.get("code_challenge_method")).containsExactly("S256");
        assertThat(b.cookie("_oauth2_login")).isNotNull();

        // the provider's interactive login page, as a browser sees it, and its form posted back
        r = b.get(authorize);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<form method=\"post\">", "name=\"username\"", "name=\"claims\"");
        String claims = "{\"email\":\"alice@example.org\",\"name\":\"Alice <b>Liddell</b>\",\"groups\":[\"a\",\"b\"]}";
        r = b.postForm(authorize, "username=alice&claims=" + HttpUtil.urlEncode(claims, true));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        String callback = HttpBrowser.location(r);
        assertThat(callback).startsWith(base + "/auth/login?code=");

        r = b.get(callback);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/");
        assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith(Session.COOKIE + "=2|1:0|").contains("Path=/", "HttpOnly", "SameSite=Lax").doesNotContain("Secure"));
        assertThat(b.cookie("_oauth2_login")).isNull();

        r = b.get(base + "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .contains("Hello, <span id=\"user-name\">Alice &lt;b&gt;Liddell&lt;/b&gt;</span>")
                .contains("<span id=\"via\">the local provider</span>")
                .contains("data-claim=\"sub\"><th>sub</th><td><code class=\"value\">alice</code>")
                .contains("data-claim=\"email\"><th>email</th><td><code class=\"value\">alice@example.org</code>")
                .contains("data-claim=\"groups\"><th>groups</th><td><code class=\"value\">[&quot;a&quot;,&quot;b&quot;]</code>")
                .contains("data-claim=\"iss\"><th>iss</th><td><code class=\"value\">" + demo.localIssuer() + "</code>")
                .containsPattern("data-claim=\"exp\">.*<span class=\"time\">20\\d\\d-\\d\\d-\\d\\dT")
                .doesNotContain("<b>Liddell", "data-claim=\"nonce\"", "id=\"login-oidc\"");

        JsonNode me = JSON.readTree(b.get(base + "/me").body());
        assertThat(me.get("provider").asText()).isEqualTo("oidc");
        assertThat(me.get("subject").asText()).isEqualTo("alice");
        assertThat(me.at("/claims/email").asText()).isEqualTo("alice@example.org");
        assertThat(me.at("/claims/aud").asText()).isEqualTo("gale-auth-demo");

        // the logout form carries the XSRF token; a POST without it is refused and changes nothing
        Matcher xsrf = XSRF.matcher(r.body());
        assertThat(xsrf.find()).as(r.body()).isTrue();
        HttpResponse<String> refused = b.postForm(base + "/auth/logout", "");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(b.get(base + "/me").statusCode()).isEqualTo(200);
        HttpResponse<String> out = b.postForm(base + "/auth/logout", "_xsrf=" + HttpUtil.urlEncode(xsrf.group(1)));
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location")).hasValue("/");
        assertThat(out.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith(Session.COOKIE + "=;")
                .contains("Max-Age=0"));
        assertThat(b.cookie(Session.COOKIE)).isNull();
        assertThat(b.get(base + "/").body()).contains("id=\"login-oidc\"").doesNotContain("Hello,");
        assertThat(b.get(base + "/me").statusCode()).isEqualTo(302);
    }

    @Test
    void aProtectedPageSendsTheVisitorThroughTheLoginAndBack() throws Exception {
        HttpBrowser b = new HttpBrowser();
        HttpResponse<String> r = b.get(base + "/me");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue(base + "/auth/login?next=%2Fme");
        String callback = throughTheLoginForm(b, HttpBrowser.location(r), "bob");
        r = b.get(callback);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/me");
        r = b.get(base + "/me");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("subject").asText()).isEqualTo("bob");
    }

    @Test
    void aTamperedSessionCookieIsNoSession() throws Exception {
        HttpBrowser b = new HttpBrowser();
        assertThat(b.get(throughTheLoginForm(b, base + "/auth/login", "carol")).statusCode()).isEqualTo(302);
        String cookie = b.cookie(Session.COOKIE);
        assertThat(b.get(base + "/me").statusCode()).isEqualTo(200);
        // another subject in the signed JSON (same length, so only the signature can tell)
        String[] parts = cookie.split("\\|");
        String json = new String(java.util.Base64.getDecoder().decode(parts[4].substring(parts[4].indexOf(':') + 1)),
                StandardCharsets.UTF_8);
        assertThat(json).contains("\"sub\":\"carol\"");
        String forged = json.replace("\"sub\":\"carol\"", "\"sub\":\"admin\"");
        String b64 = java.util.Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8));
        parts[4] = b64.length() + ":" + b64;
        HttpBrowser mallory = new HttpBrowser();
        java.net.HttpCookie c = new java.net.HttpCookie(Session.COOKIE, String.join("|", parts));
        c.setPath("/");
        mallory.cookies.getCookieStore().add(URI.create(base), c);
        assertThat(mallory.get(base + "/me").statusCode()).isEqualTo(302);
        assertThat(mallory.get(base + "/").body()).contains("id=\"login-oidc\"").doesNotContain("admin");
    }

    @Test
    void aLoginCancelledAtTheProviderIsAPageSayingSo() throws Exception {
        HttpBrowser b = new HttpBrowser();
        String authorize = HttpBrowser.location(b.get(base + "/auth/login"));
        String state = HttpUtil.parseQueryString(URI.create(authorize).getRawQuery()).get("state").get(0);
        HttpResponse<String> r = b.get(base + "/auth/login?error=access_denied&state=" + state);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("<h1 class=\"error\">403: Forbidden</h1>",
                "<p id=\"error-message\">The login was cancelled at the provider.</p>");
        assertNoSession(b, r);
    }

    @Test
    void aCallbackInAnotherBrowserIsRefused() throws Exception {
        HttpBrowser victim = new HttpBrowser();
        String callback = throughTheLoginForm(victim, base + "/auth/login", "dave");
        HttpBrowser other = new HttpBrowser(); // a leaked callback link, without the victim's login cookie
        HttpResponse<String> r = other.get(callback);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<h1 class=\"error\">400: Bad Request</h1>", "not the end of a login this browser started");
        assertNoSession(other, r);
        // the victim's own login still completes
        assertThat(victim.get(callback).statusCode()).isEqualTo(302);
        assertThat(victim.get(base + "/me").statusCode()).isEqualTo(200);
    }

    @Test
    void aProviderThatIsDownIsAClearPageAndNoSession() throws Exception {
        MockOAuth2Server gone = new MockOAuth2Server();
        gone.start(InetAddress.getByName("127.0.0.1"), 0);
        String issuer = "http://127.0.0.1:" + gone.url("/").port() + "/gone";
        gone.shutdown(); // OkHttp's MockWebServer closes its socket before returning
        try (AuthDemo.Running down = serve("--port", "0", "--address", "127.0.0.1", "--issuer", issuer,
                "--client-id", "demo", "--client-secret", "secret")) {
            HttpBrowser b = new HttpBrowser();
            HttpResponse<String> page = b.get(down.baseUrl() + "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Log in with 127.0.0.1</a>").doesNotContain("local-provider");
            HttpResponse<String> r = b.get(down.baseUrl() + "/auth/login");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("<h1 class=\"error\">502: Bad Gateway</h1>",
                    "<p id=\"error-message\">The login provider could not be reached");
            assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("_oauth2_login=")
                    || c.startsWith(Session.COOKIE + "="));
            assertThat(b.cookie(Session.COOKIE)).isNull();
        }
    }

    @Test
    void aProviderGoingDownBetweenItsLoginAndTheCallbackIsAClearPageAndNoSession() throws Exception {
        // a provider the test can stop at once (the demo's own stops gracefully, in seconds)
        MockOAuth2Server provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        String issuer = "http://127.0.0.1:" + provider.url("/").port() + "/elsewhere";
        try (AuthDemo.Running other = serve("--port", "0", "--address", "127.0.0.1", "--issuer", issuer,
                "--client-id", "demo", "--client-secret", "secret")) {
            HttpBrowser b = new HttpBrowser();
            String authorize = HttpBrowser.location(b.get(other.baseUrl() + "/auth/login"));
            HttpResponse<String> r = b.get(authorize); // not interactive: straight back with a code
            assertThat(r.statusCode()).isEqualTo(302);
            String callback = HttpBrowser.location(r);
            provider.shutdown();
            r = b.get(callback);
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("The login provider could not be reached");
            assertNoSession(b, r);
            assertThat(b.get(other.baseUrl() + "/").body()).contains("id=\"login-oidc\"");
        } finally {
            provider.shutdown();
        }
    }

    @Test
    void gitHubLoginThroughAGitHubEnterpriseServer() throws Exception {
        try (FakeGitHub github = FakeGitHub.start("gh-client", "gh-secret");
                AuthDemo.Running gh = serve("--port", "0", "--address", "127.0.0.1", "--github-client-id", "gh-client",
                        "--github-client-secret", "gh-secret", "--github-url", github.url())) {
            assertThat(gh.localIssuer()).isNull();
            HttpBrowser b = new HttpBrowser();
            HttpResponse<String> page = b.get(gh.baseUrl() + "/");
            assertThat(page.body()).contains("id=\"login-github\" href=\"" + gh.baseUrl() + "/auth/github\">Log in with GitHub")
                    .doesNotContain("login-oidc", "local-provider");
            HttpResponse<String> r = b.get(gh.baseUrl() + "/auth/github");
            String authorize = HttpBrowser.location(r);
            assertThat(authorize).startsWith(github.url() + "/login/oauth/authorize?");
            r = b.get(authorize);
            assertThat(r.statusCode()).isEqualTo(302);
            r = b.get(HttpBrowser.location(r));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
            assertThat(github.tokenRequests()).singleElement().satisfies(form -> assertThat(form)
                    .contains("client_id=gh-client", "client_secret=gh-secret", "code_verifier="));
            page = b.get(gh.baseUrl() + "/");
            assertThat(page.body()).contains("Hello, <span id=\"user-name\">The Octocat</span>",
                    "<span id=\"via\">GitHub</span>", "data-claim=\"login\"><th>login</th><td><code class=\"value\">octocat</code>",
                    "data-claim=\"id\"><th>id</th><td><code class=\"value\">583231</code>");
            JsonNode me = JSON.readTree(b.get(gh.baseUrl() + "/me").body());
            assertThat(me.get("provider").asText()).isEqualTo("github");
            assertThat(me.get("subject").asText()).isEqualTo("583231");
        }
    }

    @Test
    void theCommandLine() throws Exception {
        assertThat(run("--issuer", "https://accounts.example")).isEqualTo(2);
        assertThat(run("--client-id", "x")).isEqualTo(2);
        assertThat(run("--issuer", "http://example.com", "--client-id", "x")).isEqualTo(2);
        assertThat(run("--github-client-id", "x")).isEqualTo(2);
        assertThat(run("--github-url", "https://github.example.com")).isEqualTo(2);
        assertThat(run("--redirect-base-uri", "http://example.com")).isEqualTo(2);
        assertThat(run("--cookie-secret", "short")).isEqualTo(2);
        assertThat(run("extra")).isEqualTo(2);
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        assertThat(DemoOptions.run("auth", new PrintStream(help, true, StandardCharsets.UTF_8), System.err,
                d -> { AuthDemo.serve(d, new String[] {"--help"}); return 0; })).isZero();
        assertThat(help.toString(StandardCharsets.UTF_8)).contains("--issuer=URL", "--client-id=ID", "--client-secret=SECRET",
                "--github-client-id=ID", "--redirect-base-uri=URL", "--port=INT");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<AuthDemo.Running> started = new ArrayList<>();
        try {
            DemoOptions.run("auth", new PrintStream(out, true, StandardCharsets.UTF_8), System.err, d -> {
                started.add(AuthDemo.serve(d, new String[] {"--port", "0", "--address", "127.0.0.1",
                        "--redirect-base-uri", "http://localhost:9/"}));
                return 0;
            });
            assertThat(out.toString(StandardCharsets.UTF_8)).matches("listening on 127\\.0\\.0\\.1:\\d+\\R");
            assertThat(started.get(0).baseUrl()).isEqualTo("http://localhost:9");
            String page = new HttpBrowser().get("http://127.0.0.1:" + started.get(0).server().boundPorts().get(0) + "/").body();
            assertThat(page).contains("href=\"http://localhost:9/auth/login\"");
        } finally {
            started.forEach(AuthDemo.Running::close);
        }
        assertThat(AuthDemo.defaultBase("localhost", 8888)).isEqualTo("http://localhost:8888");
        assertThat(AuthDemo.defaultBase(null, 8888)).isEqualTo("http://localhost:8888");
        assertThat(AuthDemo.defaultBase("::1", 8888)).isEqualTo("http://[::1]:8888");
    }

    private static int run(String... args) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return DemoOptions.run("auth", quiet, quiet, d -> {
            try (AuthDemo.Running r = AuthDemo.serve(d, args)) {
                return 0;
            }
        });
    }

    /** From the login handler's redirect through the provider's form (as {@code user}) to the callback URL. */
    static String throughTheLoginForm(HttpBrowser b, String loginUrl, String user) throws Exception {
        HttpResponse<String> r = b.get(loginUrl);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        String authorize = HttpBrowser.location(r);
        assertThat(b.get(authorize).statusCode()).isEqualTo(200);
        r = b.postForm(authorize, "username=" + HttpUtil.urlEncode(user));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        return HttpBrowser.location(r);
    }

    static void assertNoSession(HttpBrowser b, HttpResponse<String> r) throws Exception {
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(Session.COOKIE + "=2"));
        assertThat(b.cookie(Session.COOKIE)).isNull();
    }
}
