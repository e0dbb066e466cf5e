package io.gale.web;

import io.gale.escape.Escape;
import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import io.gale.http.HttpUtil;
import io.gale.http.SetCookie;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole login flow over real sockets, with the JDK's HttpClient and its cookie jar playing
 * the browser: protected page → login page (XSRF form) → login POST (signed cookie) → protected
 * page; and the attacks: forged cookies, missing tokens, {@code next} pointing off-site.
 */
@Timeout(60)
class LoginFlowSocketTest {
    static final String SECRET = "login-flow-test-secret-0123456789abcdef";

    /** The application's users: the signed "user" cookie. */
    abstract static class Base extends RequestHandler {
        @Override
        protected Object getCurrentUser() {
            return getSignedCookie("user");
        }
    }

    public static final class Login extends Base {
        public void get() {
            write("<form method=\"post\" action=\"/login\">" + xsrfFormHtml()
                    + "<input type=\"hidden\" name=\"next\" value=\"" + Escape.xhtmlEscape(safeNextUrl("/")) + "\"/>"
                    + "<input name=\"name\"/><input name=\"password\" type=\"password\"/></form>");
        }

        public void post() {
            if (!getArgument("password").equals("open sesame")) {
                throw new HttpError(403, "wrong password for %s", getArgument("name"));
            }
            setSignedCookie("user", getArgument("name"), 30, c -> c.httpOnly(true).sameSite(SetCookie.SameSite.LAX));
            redirect(safeNextUrl("/"));
        }
    }

    public static final class Account extends Base {
        @Authenticated
        public void get() {
            write("Hello, " + currentUser() + " " + xsrfToken());
        }

        @Authenticated
        public void post() {
            write("saved for " + currentUser());
        }
    }

    @Authenticated
    public static final class Anything extends Base {
        public void get(String path) {
            write("page " + path);
        }
    }

    public static final class Logout extends Base {
        public void post() {
            clearCookie("user");
            redirect("/");
        }
    }

    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        Application app = new Application(List.of(url("/login", Login.class), url("/account", Account.class),
                url("/logout", Logout.class), url("(/.*)", Anything.class)),
                ApplicationSettings.builder().cookieSecret(SECRET).xsrfCookies(true).loginUrl("/login").build());
        server = app.listen(0, "127.0.0.1");
        base = "http://127.0.0.1:" + server.boundPorts().get(0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A browser: a cookie jar, no automatic redirects (the test follows them to check each). */
    private static HttpClient browser() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient client, String path, String form, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as(name + " in " + html).isTrue();
        return m.group(1).replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", "\"");
    }

    private static String enc(String s) {
        return HttpUtil.urlEncode(s);
    }

    /**
     * Logs in through the form with {@code next} in the query of the login page (what the form
     * carries on) and in the POST itself (what a crafted form could send); returns the Location.
     */
    private static String logIn(HttpClient client, String name, String next) throws Exception {
        String form = get(client, "/login?next=" + enc(next)).body();
        String carried = field(form, "next");
        assertThat(carried).as("the form's next for " + next).isIn(next, "/");
        String token = field(form, "_xsrf");
        HttpResponse<String> r = post(client, "/login",
                "_xsrf=" + enc(token) + "&name=" + enc(name) + "&password=open+sesame&next=" + enc(next));
        assertThat(r.statusCode()).isEqualTo(302);
        return r.headers().firstValue("Location").orElseThrow();
    }

    @Test
    void theWholeFlowFromProtectedPageToLoginAndBack() throws Exception {
        HttpClient client = browser();
        HttpResponse<String> r = get(client, "/account");
        assertThat(r.statusCode()).isEqualTo(302);
        String login = r.headers().firstValue("Location").orElseThrow();
        assertThat(login).isEqualTo("/login?next=%2Faccount");

        HttpResponse<String> page = get(client, login);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(field(page.body(), "next")).isEqualTo("/account");
        String token = field(page.body(), "_xsrf");
        assertThat(page.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("_xsrf="));

        // without the form's token the login is refused, with it accepted
        assertThat(post(client, "/login", "name=ann&password=open+sesame&next=%2Faccount").statusCode()).isEqualTo(403);
        r = post(client, "/login", "_xsrf=" + enc(token) + "&name=ann&password=open+sesame&next=%2Faccount");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/account");
        assertThat(r.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("user=2|1:0|") && c.contains("HttpOnly")
                && c.contains("SameSite=Lax") && c.contains("Expires="));

        HttpResponse<String> account = get(client, "/account");
        assertThat(account.statusCode()).isEqualTo(200);
        assertThat(account.body()).startsWith("Hello, ann ");
        // the page's token changes each time; the cookie's does not
        String pageToken = account.body().substring("Hello, ann ".length());
        assertThat(pageToken).isNotEqualTo(token);
        assertThat(get(client, "/account").headers().allValues("Set-Cookie")).isEmpty();

        // a script posts with the header
        assertThat(post(client, "/account", "x=1").statusCode()).isEqualTo(403);
        r = post(client, "/account", "x=1", "X-XSRFToken", pageToken);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("saved for ann");

        // logging out clears the cookie: the page sends to the login again
        r = post(client, "/logout", "_xsrf=" + enc(pageToken));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(get(client, "/account").statusCode()).isEqualTo(302);
    }

    @Test
    void aForgedUserCookieIsNobody() throws Exception {
        HttpClient client = browser();
        logIn(client, "ann", "/account");
        HttpResponse<String> ok = get(client, "/account");
        assertThat(ok.statusCode()).isEqualTo(200);
        String userCookie = ((CookieManager) client.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("user")).findFirst().orElseThrow().getValue();
        String forged = userCookie.replace("|4:YW5u|", "|8:YWRtaW4=|"); // "admin", same length prefix rules
        HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        for (String cookie : List.of("user=" + forged, "user=" + userCookie.substring(0, userCookie.length() - 1)
                        + (userCookie.endsWith("0") ? "1" : "0"), // another last digit (one signature in 16 ends in 0)
                "user=ann", "user=" + userCookie.replace("user", "usex"))) {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(base + "/account")).header("Cookie", cookie)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(cookie).isEqualTo(302);
        }
        HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(base + "/account"))
                .header("Cookie", "user=" + userCookie).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void nextNeverLeavesTheSite() throws Exception {
        for (String next : List.of("//evil.example", "//evil.example/account", "/\\evil.example", "\\\\evil.example",
                "http://evil.example", "https://evil.example/", "https:evil.example", "HTTPS://evil.example",
                "javascript:alert(1)", "%2F%2Fevil.example", "%252F%252Fevil.example", "/\t/evil.example",
                "\t//evil.example", " //evil.example", "//evil.example%2F@127.0.0.1", "///evil.example",
                "/%0A/evil.example".replace("%0A", "\n"), "evil.example")) {
            assertThat(logIn(browser(), "ann", next)).as(next).isEqualTo("/");
        }
        // local paths, escapes kept
        assertThat(logIn(browser(), "ann", "/account?tab=2")).isEqualTo("/account?tab=2");
        assertThat(logIn(browser(), "ann", "/%2F/evil.example")).isEqualTo("/%2F/evil.example");
    }

    @Test
    void aNextFromTheRequestLineIsNeverOffSite() throws Exception {
        // a request path of "//host" must not become next=//host
        HttpClient client = browser();
        for (String path : List.of("//evil.example/account", "//evil.example", "///evil.example")) {
            HttpResponse<String> r = get(client, path);
            assertThat(r.statusCode()).as(path).isEqualTo(302);
            assertThat(r.headers().firstValue("Location")).as(path).hasValue("/login?next=%2F");
        }
        HttpResponse<String> r = get(client, "/x/%2F%2Fevil.example");
        assertThat(r.headers().firstValue("Location")).hasValue("/login?next=%2Fx%2F%252F%252Fevil.example");
        r = get(client, "/account?then=//evil.example");
        assertThat(r.headers().firstValue("Location")).hasValue("/login?next=%2Faccount%3Fthen%3D%2F%2Fevil.example");
    }
}
