package io.gale.guide.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.httpclient.HttpResponse;
import io.gale.testing.GaleTest;
import io.gale.testing.TestApplication;
import io.gale.testing.TestServer;
import io.gale.web.Application;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The first requests load Pebble, Jackson and the handlers on the loop: over 2 s (the default
// threshold) on a busy CI machine; blocking for real still fails the test.
@GaleTest(blockedThresholdMillis = 10_000)
@Timeout(30)
class AccountsTest {
    @TestApplication
    static Application app() {
        return Accounts.makeApp("guide-test-secret-guide-test-secret-0123456789");
    }

    private static String cookie(HttpResponse r, String name) {
        for (String c : r.headers().getAll("Set-Cookie")) {
            if (c.startsWith(name + "=")) {
                return c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'));
            }
        }
        throw new AssertionError("no cookie " + name + " in " + r.headers());
    }

    @Test
    void logsInThroughTheForm(TestServer server) {
        HttpResponse home = server.fetch("/", b -> b.followRedirects(false));
        assertThat(home.code()).isEqualTo(302);
        assertThat(home.headers().get("Location")).isEqualTo("/login?next=%2F");

        HttpResponse form = server.fetch("/login?next=%2F");
        String xsrfCookie = cookie(form, "_xsrf");
        Matcher field = Pattern.compile("name=\"_xsrf\" value=\"([^\"]+)\"").matcher(form.text());
        assertThat(field.find()).isTrue();
        assertThat(form.text()).contains("action=\"/login?next=%2F\"");

        HttpResponse forged = server.fetch("/login?next=%2F", b -> b.method("POST").followRedirects(false)
                .body("name=ann&password=open+sesame"));
        assertThat(forged.code()).isEqualTo(403);

        HttpResponse wrong = server.fetch("/login", b -> b.method("POST").followRedirects(false)
                .header("Cookie", xsrfCookie).body("_xsrf=" + field.group(1) + "&name=ann&password=guess"));
        assertThat(wrong.code()).isEqualTo(403);

        HttpResponse in = server.fetch("/login?next=%2F", b -> b.method("POST").followRedirects(false)
                .header("Cookie", xsrfCookie).body("_xsrf=" + field.group(1) + "&name=ann&password=open+sesame"));
        assertThat(in.code()).isEqualTo(302);
        assertThat(in.headers().get("Location")).isEqualTo("/");
        String user = cookie(in, "user");

        HttpResponse hello = server.fetch("/", b -> b.header("Cookie", user));
        assertThat(hello.text()).isEqualTo("Hello, ann");
        HttpResponse forgedUser = server.fetch("/", b -> b.followRedirects(false).header("Cookie", "user=ann"));
        assertThat(forgedUser.code()).isEqualTo(302);
    }

    @Test
    void countsVisits(TestServer server) {
        HttpResponse first = server.fetch("/visits");
        assertThat(first.text()).isEqualTo("visit 1, first signed visit");
        String seen = cookie(first, "seen");
        HttpResponse second = server.fetch("/visits", b -> b.header("Cookie", "visits=1; " + seen));
        assertThat(second.text()).isEqualTo("visit 2, since visit 1");
    }
}
