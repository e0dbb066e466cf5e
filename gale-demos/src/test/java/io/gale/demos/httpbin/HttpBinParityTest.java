package io.gale.demos.httpbin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where httpbin.org behaves in a particular way, the demo does the same (in memory): CORS on every
 * answer and preflight OPTIONS, /range beyond its limit, /image negotiation, the Digest
 * challenge and its cookie state machine, /brotli's headers. Real clients (curl's Digest and
 * Brotli, Python's hashlib) check the same endpoints over sockets in {@link HttpBinPeersTest}.
 */
@Timeout(30)
class HttpBinParityTest {
    static InMemoryClient http;

    @BeforeAll
    static void start() {
        http = new InMemoryClient(HttpBin.application());
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    static TestResponse fetch(TestRequest r) {
        TestResponse res = http.fetch(r);
        assertThat(res.violations()).as("connection contract").isEmpty();
        return res;
    }

    // ------------------------------------------------------------------------------------ CORS

    @ParameterizedTest
    @ValueSource(strings = {"/get", "/nope", "/bytes/x", "/status/500", "/basic-auth/a/b", "/range/0", "/image/png"})
    void everyAnswerCarriesCors(String uri) {
        TestResponse plain = fetch(TestRequest.get(uri));
        assertThat(plain.header("Access-Control-Allow-Origin")).as(uri).isEqualTo("*");
        assertThat(plain.header("Access-Control-Allow-Credentials")).as(uri).isEqualTo("true");
        assertThat(plain.header("Access-Control-Allow-Methods")).as("only on preflight").isNull();
        TestResponse withOrigin = fetch(TestRequest.get(uri).header("Origin", "https://example.org"));
        assertThat(withOrigin.header("Access-Control-Allow-Origin")).isEqualTo("https://example.org");
    }

    @Test
    void preflightOptionsIsAnsweredOnEveryRoute() {
        TestResponse r = fetch(TestRequest.of("OPTIONS", "/post").header("Origin", "https://a.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "Content-Type, X-Token"));
        assertThat(r.code()).as(r.text() + r.headers()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://a.example");
        assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST, PUT, DELETE, PATCH, OPTIONS");
        assertThat(r.header("Access-Control-Max-Age")).isEqualTo("3600");
        assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("Content-Type, X-Token");
        assertThat(r.header("Allow")).isEqualTo("OPTIONS, POST");

        TestResponse get = fetch(TestRequest.of("OPTIONS", "/get"));
        assertThat(get.code()).isEqualTo(200);
        assertThat(get.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(get.header("Access-Control-Allow-Headers")).isNull();
        assertThat(fetch(TestRequest.of("OPTIONS", "/anything/x")).header("Allow"))
                .isEqualTo("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
        assertThat(fetch(TestRequest.of("OPTIONS", "/status/418")).code()).isEqualTo(200);
        assertThat(fetch(TestRequest.of("OPTIONS", "/digest-auth/auth/u/p/MD5")).code()).isEqualTo(200);
    }

    // ----------------------------------------------------------------------------------- range

    @ParameterizedTest
    @ValueSource(strings = {"/range/0", "/range/102401", "/range/999999999"})
    void rangeBeyondItsLimitIs404WithHttpbinsMessage(String uri) {
        TestResponse r = fetch(TestRequest.get(uri));
        assertThat(r.code()).isEqualTo(404);
        assertThat(r.text()).isEqualTo("number of bytes must be in the range (0, 102400]");
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.header("ETag")).startsWith("\"range");
        assertThat(fetch(TestRequest.get("/range/102400")).body()).hasSize(102400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/range/x", "/range/-1", "/range/1.5", "/range/1234567890123"})
    void rangeOfANonNumberIsAPlain404(String uri) {
        TestResponse r = fetch(TestRequest.get(uri));
        assertThat(r.code()).isEqualTo(404);
        assertThat(r.text()).doesNotContain("number of bytes");
    }

    // ----------------------------------------------------------------------------------- image

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "|image/png",
        "image/webp,image/apng,image/*,*/*;q=0.8|image/webp",
        "image/avif,image/svg+xml;q=0.5|image/svg+xml",
        "IMAGE/JPEG|image/jpeg",
        "image/png|image/png",
        "image/*|image/png",
        "image/jpeg, image/png|image/jpeg"})
    void imageNegotiatesOnAccept(String accept, String type) {
        TestRequest req = TestRequest.get("/image");
        if (accept != null) {
            req.header("Accept", accept);
        }
        TestResponse r = fetch(req);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo(type);
        assertThat(r.body()).isEqualTo(fetch(TestRequest.get("/image/" + suffix(type))).body());
    }

    private static String suffix(String type) {
        return type.equals("image/svg+xml") ? "svg" : type.substring(6);
    }

    @Test
    void imageWithNothingAcceptableIs406ListingTheTypes() {
        TestResponse r = fetch(TestRequest.get("/image").header("Accept", "text/html, application/json"));
        assertThat(r.code()).isEqualTo(406);
        JsonNode j = r.json();
        assertThat(j.get("message").asText()).isEqualTo("Client did not request a supported media type.");
        assertThat(j.get("accept").toString())
                .isEqualTo("[\"image/webp\",\"image/svg+xml\",\"image/jpeg\",\"image/png\",\"image/*\"]");
    }

    @Test
    void eachImageIsAValidFileOfItsType() throws Exception {
        byte[] png = fetch(TestRequest.get("/image/png")).body();
        byte[] jpeg = fetch(TestRequest.get("/image/jpeg")).body();
        assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(64);
        assertThat(ImageIO.read(new ByteArrayInputStream(jpeg)).getHeight()).isEqualTo(64);
        byte[] webp = fetch(TestRequest.get("/image/webp")).body();
        assertThat(new String(webp, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(webp, 8, 7, StandardCharsets.US_ASCII)).isEqualTo("WEBPVP8");
        TestResponse svg = fetch(TestRequest.get("/image/svg"));
        assertThat(svg.header("Content-Type")).isEqualTo("image/svg+xml");
        assertThat(svg.text()).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        assertThat(fetch(TestRequest.get("/image/gif")).code()).isEqualTo(404);
    }

    // ---------------------------------------------------------------------------------- digest

    @Test
    void digestChallengeOffersWhatThePathSays() {
        TestResponse r = fetch(TestRequest.get("/digest-auth/auth/user/pass/SHA-256"));
        assertThat(r.code()).isEqualTo(401);
        String challenge = r.header("WWW-Authenticate");
        assertThat(challenge).startsWith("Digest realm=\"me@kennethreitz.com\", nonce=\"")
                .contains("qop=\"auth\"", "algorithm=SHA-256", "stale=FALSE", "opaque=\"");
        assertThat(r.headers().getAll("Set-Cookie")).anyMatch(c -> c.startsWith("stale_after=never"))
                .anyMatch(c -> c.startsWith("fake=fake_value"));
        assertThat(fetch(TestRequest.get("/digest-auth/other/u/p")).header("WWW-Authenticate"))
                .contains("qop=\"auth, auth-int\"", "algorithm=MD5");
        assertThat(fetch(TestRequest.get("/digest-auth/auth/u/p/SHA-1")).header("WWW-Authenticate"))
                .as("unknown algorithms fall back to MD5").contains("algorithm=MD5");
    }

    @ParameterizedTest
    @CsvSource({"MD5,auth", "SHA-256,auth", "SHA-512,auth", "MD5,auth-int", "SHA-512,auth-int", "SHA-256,"})
    void digestSucceedsWithTheRightResponseAndNotOtherwise(String algorithm, String qop) {
        String path = "/digest-auth/" + (qop == null ? "none" : qop) + "/alice/s3cret/" + algorithm;
        Map<String, String> c = challenge(fetch(TestRequest.get(path)).header("WWW-Authenticate"));
        String chosenQop = qop; // when the path names none, the challenge offers both and we answer without
        TestResponse ok = fetch(TestRequest.get(path).header("Authorization",
                authorization(c, "alice", "s3cret", algorithm, chosenQop, "GET", path, "")));
        assertThat(ok.code()).as(ok.text()).isEqualTo(200);
        assertThat(ok.json().get("authenticated").asBoolean()).isTrue();
        assertThat(ok.json().get("user").asText()).isEqualTo("alice");

        TestResponse wrong = fetch(TestRequest.get(path).header("Authorization",
                authorization(c, "alice", "wrong", algorithm, chosenQop, "GET", path, "")));
        assertThat(wrong.code()).isEqualTo(401);
        assertThat(wrong.headers().getAll("Set-Cookie")).anyMatch(v -> v.startsWith("last_nonce=" + c.get("nonce")));
        TestResponse otherUser = fetch(TestRequest.get(path).header("Authorization",
                authorization(c, "mallory", "s3cret", algorithm, chosenQop, "GET", path, "")));
        assertThat(otherUser.code()).isEqualTo(401);
    }

    @Test
    void replayedNonceAndStaleAfterGiveAStaleChallenge() {
        String path = "/digest-auth/auth/u/p/MD5/1";
        TestResponse first = fetch(TestRequest.get(path));
        Map<String, String> c = challenge(first.header("WWW-Authenticate"));
        String auth = authorization(c, "u", "p", "MD5", "auth", "GET", path, "");
        TestResponse replay = fetch(TestRequest.get(path).header("Authorization", auth)
                .header("Cookie", "last_nonce=" + c.get("nonce")));
        assertThat(replay.code()).isEqualTo(401);
        assertThat(replay.header("WWW-Authenticate")).contains("stale=TRUE");
        TestResponse ok = fetch(TestRequest.get(path).header("Authorization", auth).header("Cookie", "stale_after=1"));
        assertThat(ok.code()).isEqualTo(200);
        assertThat(ok.headers().getAll("Set-Cookie")).anyMatch(v -> v.startsWith("stale_after=0"));
        TestResponse stale = fetch(TestRequest.get(path).header("Authorization", auth).header("Cookie", "stale_after=0"));
        assertThat(stale.code()).isEqualTo(401);
        assertThat(stale.header("WWW-Authenticate")).contains("stale=TRUE");
    }

    @Test
    void requireCookieAsksForTheFakeCookie() {
        String path = "/digest-auth/auth/u/p?require-cookie=1";
        Map<String, String> c = challenge(fetch(TestRequest.get(path)).header("WWW-Authenticate"));
        String auth = authorization(c, "u", "p", "MD5", "auth", "GET", path, "");
        assertThat(fetch(TestRequest.get(path).header("Authorization", auth)).code()).as("no Cookie at all").isEqualTo(401);
        TestResponse wrongCookie = fetch(TestRequest.get(path).header("Authorization", auth).header("Cookie", "a=b"));
        assertThat(wrongCookie.code()).isEqualTo(403);
        assertThat(wrongCookie.json().get("errors").get(0).asText()).isEqualTo("missing cookie set on challenge");
        assertThat(fetch(TestRequest.get(path).header("Authorization", auth).header("Cookie", "fake=fake_value")).code())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dTpw", "Digest", "Digest username=\"u\"", "Digest username=\"u, realm=\"r\"",
            "Digest username=u, username=v, realm=r, nonce=n, uri=/, response=x", "Bearer x"})
    void malformedCredentialsGetAChallenge(String header) {
        TestResponse r = fetch(TestRequest.get("/digest-auth/auth/u/p").header("Authorization", header));
        assertThat(r.code()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Digest ");
    }

    /** The challenge's parameters (a test-side reader: quoted values without escapes suffice here). */
    static Map<String, String> challenge(String header) {
        Map<String, String> m = new HashMap<>();
        for (String part : header.substring("Digest ".length()).split(", (?=[a-z]+=)")) {
            int eq = part.indexOf('=');
            m.put(part.substring(0, eq), part.substring(eq + 1).replace("\"", ""));
        }
        return m;
    }

    /** RFC 7616 section 3.4.1, written out independently of the handler's code. */
    static String authorization(Map<String, String> c, String user, String password, String algorithm, String qop,
            String method, String uri, String body) {
        String ha1 = Digest.hash(algorithm, user + ":" + c.get("realm") + ":" + password);
        String ha2 = "auth-int".equals(qop)
                ? Digest.hash(algorithm, method + ":" + uri + ":" + Digest.hash(algorithm, body))
                : Digest.hash(algorithm, method + ":" + uri);
        String cnonce = "0a4f113b";
        String response = qop == null ? Digest.hash(algorithm, ha1 + ":" + c.get("nonce") + ":" + ha2)
                : Digest.hash(algorithm, ha1 + ":" + c.get("nonce") + ":00000001:" + cnonce + ":" + qop + ":" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + c.get("realm") + "\", nonce=\"" + c.get("nonce")
                + "\", uri=\"" + uri + "\", algorithm=" + algorithm + ", response=\"" + response + "\""
                + (qop == null ? "" : ", qop=" + qop + ", nc=00000001, cnonce=\"" + cnonce + "\"")
                + ", opaque=\"" + c.get("opaque") + "\"";
    }

    // ---------------------------------------------------------------------------------- brotli

    @Test
    void brotliIsEncodedAndSaysSo() {
        TestResponse r = fetch(TestRequest.get("/brotli"));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("br");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(Arrays.equals(r.body(), "{".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).doesNotContain("\"brotli\"");
    }
}
