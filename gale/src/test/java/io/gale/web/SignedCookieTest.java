package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.HttpUtil;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Signed cookies through RequestHandler, in memory (SignedValuesTest covers the format). */
@Timeout(30)
class SignedCookieTest {
    static final String SECRET = "a cookie secret of at least 32 bytes, for tests";

    public static final class SetText extends RequestHandler {
        public void get() {
            setSignedCookie("user", getArgument("value"));
            write("set");
        }
    }

    public static final class SetBytes extends RequestHandler {
        public void get() {
            setSignedCookie("bin", Base64.getUrlDecoder().decode(getArgument("b64")), 2,
                    c -> c.httpOnly(true).secure(true));
        }
    }

    public static final class SetSession extends RequestHandler {
        public void get() {
            setSignedCookie("s", "session only", 30, c -> c.expires(null));
        }
    }

    public static final class Read extends RequestHandler {
        public void get() {
            byte[] bin = getSignedCookieBytes("bin");
            write(Map.of("user", String.valueOf(getSignedCookie("user")),
                    "v2only", String.valueOf(getSignedCookie("user", 31, 2)),
                    "bin", bin == null ? "null" : Base64.getUrlEncoder().encodeToString(bin),
                    "keyVersion", String.valueOf(getSignedCookieKeyVersion("user"))));
        }
    }

    private static final List<Route> ROUTES = List.of(url("/set", SetText.class), url("/bytes", SetBytes.class),
            url("/session", SetSession.class), url("/read", Read.class));

    private static Application app(ApplicationSettings settings) {
        return new Application(ROUTES, settings);
    }

    private static String cookieOf(TestResponse r) {
        String h = r.header("Set-Cookie");
        return h.substring(0, h.indexOf(';'));
    }

    private static TestResponse read(InMemoryClient c, String cookie) {
        return c.fetch(TestRequest.get("/read").header("Cookie", cookie));
    }

    @Test
    void aSignedCookieRoundTripsAndExpiresInThirtyDays() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder().cookieSecret(SECRET).build()))) {
            TestResponse set = c.fetch("/set?value=" + HttpUtil.urlEncode("Zoë | admin=1; x"));
            String header = set.header("Set-Cookie");
            assertThat(header).startsWith("user=2|1:0|").contains("; Path=/; Expires=");
            Instant expires = HttpUtil.parseHttpDate(header.substring(header.indexOf("Expires=") + 8)).orElseThrow();
            assertThat(expires).isAfter(Instant.now().plus(Duration.ofDays(29)))
                    .isBefore(Instant.now().plus(Duration.ofDays(31)));
            TestResponse r = read(c, cookieOf(set));
            assertThat(r.json().get("user").asText()).isEqualTo("Zoë | admin=1; x");
            assertThat(r.json().get("v2only").asText()).isEqualTo("Zoë | admin=1; x");
            assertThat(r.json().get("keyVersion").asText()).isEqualTo("0");
        }
    }

    @Test
    void bytesOptionsAndSessionCookies() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder().cookieSecret(SECRET).build()))) {
            String b64 = Base64.getUrlEncoder().encodeToString(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff, '"', ';', ' '});
            TestResponse set = c.fetch("/bytes?b64=" + b64);
            assertThat(set.header("Set-Cookie")).startsWith("bin=2|").endsWith("; Secure; HttpOnly");
            assertThat(read(c, cookieOf(set)).json().get("bin").asText()).isEqualTo(b64);
            assertThat(c.fetch("/session").header("Set-Cookie")).startsWith("s=2|").endsWith("; Path=/");
        }
    }

    @Test
    void forgedOrMisnamedCookiesAreNull() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder().cookieSecret(SECRET).build()))) {
            String good = cookieOf(c.fetch("/set?value=ann")).substring("user=".length());
            String forged = good.replace("|4:YW5u|", "|4:Ym9i|"); // "bob"
            assertThat(forged).isNotEqualTo(good);
            assertThat(read(c, "user=" + forged).json().get("user").asText()).isEqualTo("null");
            // a valid value signed under another name is not this cookie
            assertThat(read(c, "bin=" + good).json().get("bin").asText()).isEqualTo("null");
            for (String hostile : List.of("user=", "user=2|", "user=" + "9".repeat(5000), "user=\"" + good + "\"x",
                    "user=2|1:0|10:0|4:user|4:YW5u|" + "0".repeat(64))) {
                assertThat(read(c, hostile).json().get("user").asText()).as(hostile).isEqualTo("null");
            }
            // a quoted value (as Python's cookie code sends it) is unquoted first
            assertThat(read(c, "user=\"" + good + "\"").json().get("user").asText()).isEqualTo("ann");
        }
    }

    @Test
    void version1CookiesAreReadUnlessMinVersionIs2() {
        ApplicationSettings settings = ApplicationSettings.builder().cookieSecret(SECRET).build();
        String v1 = settings.signedValues().createSignedValue("user", "old".getBytes(), 1);
        try (InMemoryClient c = new InMemoryClient(app(settings))) {
            TestResponse r = read(c, "user=" + v1);
            assertThat(r.json().get("user").asText()).isEqualTo("old");
            assertThat(r.json().get("v2only").asText()).isEqualTo("null");
            assertThat(r.json().get("keyVersion").asText()).isEqualTo("null");
        }
    }

    @Test
    void rotatedSecretsStillReadTheOldKeysCookies() {
        String oldSecret = "the old secret, 32 bytes or longer";
        String newSecret = "the new secret, 32 bytes or longer";
        ApplicationSettings before = ApplicationSettings.builder().cookieSecrets(Map.of(1, oldSecret)).keyVersion(1).build();
        ApplicationSettings after = before.toBuilder().cookieSecrets(Map.of(1, oldSecret, 2, newSecret)).keyVersion(2).build();
        String oldCookie;
        try (InMemoryClient c = new InMemoryClient(app(before))) {
            oldCookie = cookieOf(c.fetch("/set?value=ann"));
        }
        try (InMemoryClient c = new InMemoryClient(app(after))) {
            TestResponse r = read(c, oldCookie);
            assertThat(r.json().get("user").asText()).isEqualTo("ann");
            assertThat(r.json().get("keyVersion").asText()).isEqualTo("1");
            String newCookie = cookieOf(c.fetch("/set?value=bob"));
            assertThat(read(c, newCookie).json().get("keyVersion").asText()).isEqualTo("2");
        }
        // dropping the old key ends its cookies
        ApplicationSettings later = after.toBuilder().cookieSecrets(Map.of(2, newSecret)).build();
        try (InMemoryClient c = new InMemoryClient(app(later))) {
            assertThat(read(c, oldCookie).json().get("user").asText()).isEqualTo("null");
        }
    }

    @Test
    void aShortOrIncompleteSecretIsRefusedAtStartUp() {
        assertThatThrownBy(() -> ApplicationSettings.builder().cookieSecret("secret").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cookieSecret is 6 bytes long; signed values need at least 32 random bytes "
                        + "(generate one with: openssl rand -base64 48)");
        assertThatThrownBy(() -> ApplicationSettings.builder().cookieSecrets(Map.of(1, SECRET)).build())
                .hasMessageContaining("keyVersion");
        assertThatThrownBy(() -> ApplicationSettings.builder().cookieSecrets(Map.of(1, SECRET)).keyVersion(3).build())
                .hasMessageContaining("keyVersion 3");
        assertThatThrownBy(() -> ApplicationSettings.builder().cookieSecret(SECRET).keyVersion(1).build())
                .hasMessageContaining("cookieSecrets");
        assertThatThrownBy(() -> ApplicationSettings.builder().cookieSecret(SECRET).cookieSecrets(Map.of(1, SECRET))
                .keyVersion(1).build()).hasMessageContaining("not both");
        assertThat(ApplicationSettings.defaults().signedValues()).isNull();
    }

    @Test
    void withoutASecretSignedCookiesAreAServerError() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.defaults()))) {
            assertThat(c.fetch("/set?value=x").code()).isEqualTo(500);
        }
    }
}
