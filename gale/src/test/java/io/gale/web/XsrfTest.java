package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.SetCookie;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** XSRF protection through the handler lifecycle, in memory (XsrfTokenTest covers the codec). */
@Timeout(30)
class XsrfTest {
    /** The log messages of 403s, as logException receives them (what the WARNING line says). */
    static final ConcurrentLinkedQueue<String> LOGGED = new ConcurrentLinkedQueue<>();

    /** Records what would be logged. */
    abstract static class Recording extends RequestHandler {
        @Override
        protected void logException(Throwable error) {
            if (error instanceof HttpError he) {
                LOGGED.add(he.statusCode() + " " + he.logMessage());
            }
            super.logException(error);
        }
    }

    public static final class Form extends Recording {
        public void get() {
            write(xsrfToken());
        }

        public void post() {
            write("posted");
        }

        public void put() {
            write("put");
        }

        public void patch() {
            write("patched");
        }

        public void delete() {
            write("deleted");
        }

        public void options() {
            write("options");
        }
    }

    public static final class FormHtml extends RequestHandler {
        public void get() {
            write(xsrfFormHtml() + "|" + xsrfFormHtml());
        }
    }

    @XsrfExempt
    public static final class ExemptClass extends Recording {
        public void post() {
            write("webhook");
        }
    }

    public static final class ExemptMethod extends Recording {
        @XsrfExempt
        public void post() {
            write("exempt post");
        }

        public void put() {
            write("checked put");
        }
    }

    /** Decides per request: an API key instead of the token. */
    public static final class CustomCheck extends Recording {
        @Override
        protected void checkXsrfCookie() {
            if (!"k".equals(request().headers().get("X-Api-Key"))) {
                super.checkXsrfCookie();
            }
        }

        public void post() {
            write("custom");
        }
    }

    /** The check runs before prepare: prepare never sees a forged request. */
    public static final class PrepareSeesOnlyChecked extends Recording {
        static volatile int prepared;

        @Override
        protected void prepare() {
            prepared++;
        }

        public void post() {
            write("ok");
        }
    }

    public static final class LoggedIn extends RequestHandler {
        @Override
        protected Object getCurrentUser() {
            return "ann";
        }

        public void get() {
            write(xsrfToken());
        }
    }

    @StreamRequestBody
    public static final class Streaming extends Recording {
        public void post() {
            write("streamed");
        }

        @Override
        protected CompletionStage<?> dataReceived(ByteBuffer chunk) {
            return null;
        }
    }

    private static final List<Route> ROUTES = List.of(url("/form", Form.class), url("/html", FormHtml.class),
            url("/exempt", ExemptClass.class), url("/method", ExemptMethod.class), url("/custom", CustomCheck.class),
            url("/prepare", PrepareSeesOnlyChecked.class), url("/user", LoggedIn.class), url("/stream", Streaming.class));

    private static Application app(ApplicationSettings.Builder settings) {
        return new Application(ROUTES, settings.xsrfCookies(true).build());
    }

    @BeforeEach
    void clearLog() {
        LOGGED.clear();
    }

    /** A session: the cookie from a first GET, and the page's token. */
    private record Session(String cookie, String token) {
    }

    private static Session session(InMemoryClient c) {
        TestResponse r = c.fetch("/form");
        String setCookie = r.header("Set-Cookie");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        return new Session(cookie, r.text());
    }

    private static TestResponse post(InMemoryClient c, String uri, String cookie, String form) {
        TestRequest req = TestRequest.post(uri, form);
        if (cookie != null) {
            req.header("Cookie", cookie);
        }
        return c.fetch(req);
    }

    private static String enc(String s) {
        return io.gale.http.HttpUtil.urlEncode(s);
    }

    @Test
    void theTokenInThePageChangesWhileTheCookieStays() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            TestResponse first = c.fetch("/form");
            String setCookie = first.header("Set-Cookie");
            assertThat(setCookie).startsWith("_xsrf=2|").endsWith("; Path=/").doesNotContain("Expires");
            String cookieValue = setCookie.substring("_xsrf=".length(), setCookie.indexOf(';'));
            assertThat(first.text()).isEqualTo(cookieValue);

            TestResponse second = c.fetch(TestRequest.get("/form").header("Cookie", "_xsrf=" + cookieValue));
            assertThat(second.headers().getAll("Set-Cookie")).as("the cookie is not set again").isEmpty();
            assertThat(second.text()).isNotEqualTo(first.text()).startsWith("2|");
            XsrfToken a = XsrfToken.decode(first.text(), 0);
            XsrfToken b = XsrfToken.decode(second.text(), 0);
            assertThat(a.sameToken(b)).isTrue();
            // and both are accepted
            for (String token : List.of(first.text(), second.text())) {
                assertThat(post(c, "/form", "_xsrf=" + cookieValue, "_xsrf=" + enc(token)).text()).isEqualTo("posted");
            }
        }
    }

    @Test
    void aFormFieldOrEitherHeaderCarriesTheToken() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            Session s = session(c);
            assertThat(post(c, "/form", s.cookie, "a=1&_xsrf=" + enc(s.token)).code()).isEqualTo(200);
            for (String header : List.of("X-XSRFToken", "X-CSRFToken", "x-xsrftoken", "X-Csrftoken")) {
                TestResponse r = c.fetch(TestRequest.post("/form", "a=1").header("Cookie", s.cookie).header(header, s.token));
                assertThat(r.code()).as(header).isEqualTo(200);
            }
            String multipart = "--B\r\nContent-Disposition: form-data; name=\"_xsrf\"\r\n\r\n" + s.token
                    + "\r\n--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nfile\r\n--B--\r\n";
            TestResponse r = c.fetch(TestRequest.of("POST", "/form").header("Content-Type", "multipart/form-data; boundary=B")
                    .header("Cookie", s.cookie).body(multipart));
            assertThat(r.text()).isEqualTo("posted");
            // a blank field falls through to the header, as in Tornado
            r = c.fetch(TestRequest.post("/form", "_xsrf=").header("Cookie", s.cookie).header("X-XSRFToken", s.token));
            assertThat(r.code()).isEqualTo(200);
            assertThat(LOGGED).isEmpty();
        }
    }

    @Test
    void aTokenInAnyWrongPlaceIsRefused() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            Session s = session(c);
            String missing = "403 XSRF token missing from POST: no '_xsrf' form field, X-XSRFToken or X-CSRFToken header";
            // nowhere
            assertThat(post(c, "/form", s.cookie, "a=1").code()).isEqualTo(403);
            // the query string (URLs leak into logs and Referer)
            assertThat(post(c, "/form?_xsrf=" + enc(s.token), s.cookie, "a=1").code()).isEqualTo(403);
            // only in the cookie
            assertThat(c.fetch(TestRequest.post("/form", "a=1").header("Cookie", s.cookie + "; _xsrf_field=" + s.token))
                    .code()).isEqualTo(403);
            // headers of other names
            for (String header : List.of("X-Xsrf-Token", "X-CSRF-Token", "XSRF-TOKEN", "Authorization", "_xsrf")) {
                TestRequest req = TestRequest.post("/form", "a=1").header("Cookie", s.cookie).header(header, s.token);
                assertThat(c.fetch(req).code()).as(header).isEqualTo(403);
            }
            // another field name
            assertThat(post(c, "/form", s.cookie, "xsrf=" + enc(s.token)).code()).isEqualTo(403);
            assertThat(post(c, "/form", s.cookie, "_XSRF=" + enc(s.token)).code()).isEqualTo(403);
            assertThat(LOGGED).hasSize(10).containsOnly(missing);
            // a JSON body is no form
            TestRequest json = TestRequest.of("POST", "/form").header("Content-Type", "application/json")
                    .header("Cookie", s.cookie).body("{\"_xsrf\": \"" + s.token + "\"}");
            assertThat(c.fetch(json).code()).isEqualTo(403);
        }
    }

    @Test
    void eachFailureSaysWhichPartWasWrong() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            Session s = session(c);
            Session other = session(c);
            TestResponse r = post(c, "/form", null, "_xsrf=" + enc(s.token));
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.text()).isEqualTo("<html><title>403: Forbidden</title><body>403: Forbidden</body></html>");
            post(c, "/form", "_xsrf=", "_xsrf=" + enc(s.token));
            post(c, "/form", "_xsrf=3|ff00ff00|00|1", "_xsrf=" + enc(s.token));
            post(c, "/form", "_xsrf=2|ff00ff00|00|x", "_xsrf=" + enc(s.token));
            post(c, "/form", s.cookie, "_xsrf=" + enc(other.token));
            post(c, "/form", s.cookie, "_xsrf=" + enc("2|zz|00|1"));
            c.fetch(TestRequest.post("/form", "a=1").header("Cookie", s.cookie).header("X-CSRFToken", "2|ff00ff00|0011|x"));
            c.fetch(TestRequest.post("/form", "a=1").header("Cookie", s.cookie).header("X-XSRFToken", other.token));
            assertThat(LOGGED).containsExactly(
                    "403 XSRF cookie '_xsrf' is missing",
                    "403 XSRF cookie '_xsrf' is missing",
                    "403 XSRF cookie '_xsrf' is malformed",
                    "403 XSRF cookie '_xsrf' is malformed",
                    "403 XSRF token in the '_xsrf' form field does not match the '_xsrf' cookie",
                    "403 XSRF token in the '_xsrf' form field has an invalid format",
                    "403 XSRF token in the X-CSRFToken header has an invalid format",
                    "403 XSRF token in the X-XSRFToken header does not match the '_xsrf' cookie");
        }
    }

    @Test
    void version1CookiesAndTokensAreAccepted() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            String hex = "00112233445566778899aabbccddeeff";
            assertThat(post(c, "/form", "_xsrf=" + hex, "_xsrf=" + hex).code()).isEqualTo(200);
            String masked = XsrfToken.of(java.util.HexFormat.of().parseHex(hex), 5).masked();
            assertThat(post(c, "/form", "_xsrf=" + hex, "_xsrf=" + enc(masked)).code()).as("v1 cookie, v2 field")
                    .isEqualTo(200);
            assertThat(post(c, "/form", "_xsrf=" + masked, "_xsrf=" + hex.toUpperCase()).code()).as("v2 cookie, v1 field")
                    .isEqualTo(200);
            assertThat(post(c, "/form", "_xsrf=" + hex, "_xsrf=" + hex.replace('0', '1')).code()).isEqualTo(403);
            // a page served with a v1 cookie keeps that cookie and masks its token
            TestResponse page = c.fetch(TestRequest.get("/form").header("Cookie", "_xsrf=" + hex));
            assertThat(page.headers().getAll("Set-Cookie")).isEmpty();
            assertThat(XsrfToken.decode(page.text(), 0).token()).isEqualTo(java.util.HexFormat.of().parseHex(hex));
        }
    }

    @Test
    void unsafeMethodsAreCheckedSafeOnesAreNot() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            for (String m : List.of("POST", "PUT", "PATCH", "DELETE")) {
                assertThat(c.fetch(TestRequest.of(m, "/form")).code()).as(m).isEqualTo(403);
            }
            assertThat(c.fetch(TestRequest.of("GET", "/form")).code()).isEqualTo(200);
            assertThat(c.fetch(TestRequest.of("HEAD", "/form")).code()).isEqualTo(200);
            assertThat(c.fetch(TestRequest.of("OPTIONS", "/form")).text()).isEqualTo("options");
            Session s = session(c);
            for (String m : List.of("PUT", "PATCH", "DELETE")) {
                TestResponse r = c.fetch(TestRequest.of(m, "/form").header("Cookie", s.cookie).header("X-XSRFToken", s.token));
                assertThat(r.code()).as(m).isEqualTo(200);
            }
        }
    }

    @Test
    void handlersAndMethodsOptOut() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            assertThat(c.fetch(TestRequest.post("/exempt", "a=1")).text()).isEqualTo("webhook");
            assertThat(c.fetch(TestRequest.post("/method", "a=1")).text()).isEqualTo("exempt post");
            assertThat(c.fetch(TestRequest.of("PUT", "/method")).code()).isEqualTo(403);
            assertThat(c.fetch(TestRequest.post("/custom", "a=1").header("X-Api-Key", "k")).text()).isEqualTo("custom");
            assertThat(c.fetch(TestRequest.post("/custom", "a=1").header("X-Api-Key", "wrong")).code()).isEqualTo(403);
        }
    }

    @Test
    void theCheckRunsBeforePrepare() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            PrepareSeesOnlyChecked.prepared = 0;
            assertThat(c.fetch(TestRequest.post("/prepare", "a=1")).code()).isEqualTo(403);
            assertThat(PrepareSeesOnlyChecked.prepared).isZero();
            Session s = session(c);
            assertThat(post(c, "/prepare", s.cookie, "_xsrf=" + enc(s.token)).code()).isEqualTo(200);
            assertThat(PrepareSeesOnlyChecked.prepared).isEqualTo(1);
        }
    }

    @Test
    void aStreamedBodyNeedsTheHeader() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            Session s = session(c);
            assertThat(post(c, "/stream", s.cookie, "_xsrf=" + enc(s.token)).code()).isEqualTo(403);
            TestResponse r = c.fetch(TestRequest.post("/stream", "x").header("Cookie", s.cookie).header("X-XSRFToken", s.token));
            assertThat(r.text()).isEqualTo("streamed");
        }
    }

    @Test
    void theCookieNameAndAttributesAreSettings() {
        ApplicationSettings.Builder settings = ApplicationSettings.builder().xsrfCookieName("__Host-xsrf")
                .xsrfCookieKwargs(k -> k.secure(true).httpOnly(true).sameSite(SetCookie.SameSite.STRICT));
        try (InMemoryClient c = new InMemoryClient(app(settings))) {
            TestResponse r = c.fetch("/form");
            assertThat(r.header("Set-Cookie")).isEqualTo("__Host-xsrf=" + r.text() + "; Path=/; Secure; HttpOnly; SameSite=Strict");
            assertThat(post(c, "/form", "__Host-xsrf=" + r.text(), "_xsrf=" + enc(r.text())).code()).isEqualTo(200);
            assertThat(post(c, "/form", "_xsrf=" + r.text(), "_xsrf=" + enc(r.text())).code()).isEqualTo(403);
            assertThat(LOGGED).containsExactly("403 XSRF cookie '__Host-xsrf' is missing");
        }
        // a cookie browsers would drop is refused at start-up
        assertThatThrownBy(() -> ApplicationSettings.builder().xsrfCookies(true).xsrfCookieName("__Host-xsrf").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("__Host-");
        assertThatThrownBy(() -> ApplicationSettings.builder().xsrfCookies(true).xsrfCookieName("bad name").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLoggedInUsersCookieLastsThirtyDays() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            assertThat(c.fetch("/user").header("Set-Cookie")).contains("; Expires=");
            // the kwargs come after the default and may undo it
            try (InMemoryClient c2 = new InMemoryClient(app(ApplicationSettings.builder().xsrfCookieKwargs(k -> k.expires(null))))) {
                assertThat(c2.fetch("/user").header("Set-Cookie")).doesNotContain("Expires");
            }
        }
    }

    @Test
    void theFormFieldIsTheSameWithinARequest() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            TestResponse r = c.fetch("/html");
            String field = r.text().substring(0, r.text().indexOf("/>") + 2);
            assertThat(field).matches("<input type=\"hidden\" name=\"_xsrf\" value=\"2\\|[0-9a-f]{8}\\|[0-9a-f]{32}\\|[0-9]+\"/>");
            assertThat(r.text()).isEqualTo(field + "|" + field);
            assertThat(r.headers().getAll("Set-Cookie")).hasSize(1);
        }
    }

    @Test
    void withoutTheSettingNothingIsChecked() {
        try (InMemoryClient c = new InMemoryClient(new Application(ROUTES))) {
            assertThat(c.fetch(TestRequest.post("/form", "a=1")).text()).isEqualTo("posted");
        }
    }
}
