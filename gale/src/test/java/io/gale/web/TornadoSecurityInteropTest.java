package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gale.http.HttpServer;
import io.gale.http.HttpUtil;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Signed values and XSRF tokens against Python's Tornado (Debian's python3-tornado 6.2, run with
 * /usr/bin/python3): a Tornado service and a Gale service sharing a secret read each other's
 * signed cookies and accept each other's XSRF tokens. Calls of Tornado's own functions with fixed
 * clocks compare outputs byte for byte; a Tornado server and a Gale server on real sockets
 * exchange cookies and tokens. Fails (does not skip) when python3-tornado is missing: CI installs
 * it (.ci/run).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TornadoSecurityInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SECRET = "interop secret shared by Tornado and Gale: 0123456789";
    private static final long T = 1_700_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<byte[]> VALUES = List.of(new byte[0], bytes("ann"), bytes("Zoë, 日本, 🎉 | = ; \""),
            new byte[] {0, 1, 2, (byte) 0xfb, (byte) 0xff, (byte) 0xfe, '?', '>'}, allBytes(), bytes("x".repeat(3000)));

    private static Path script;
    private static Process tornado;
    private static String tornadoBase;
    private static HttpServer gale;
    private static String galeBase;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    // -------------------------------------------------------------------------- Gale's side

    public static final class SignedSet extends RequestHandler {
        public void get() {
            setSignedCookie(getArgument("name"), Base64.getDecoder().decode(getArgument("value")));
        }
    }

    public static final class SignedGet extends RequestHandler {
        public void get() {
            byte[] v = getSignedCookieBytes(getArgument("name"));
            write(v == null ? "null" : b64(v));
        }
    }

    public static final class Xsrf extends RequestHandler {
        public void get() {
            write(xsrfToken());
        }

        public void post() {
            write("accepted");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(PYTHON)).as("/usr/bin/python3 is required").isTrue();
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import tornado.web; print(tornado.version)")
                .redirectErrorStream(true).start();
        String version = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0)
                .as("python3-tornado must be installed for /usr/bin/python3 (apt-get install python3-tornado): " + version)
                .isTrue();
        script = Path.of(TornadoSecurityInteropTest.class.getResource("/python/tornado_security_peer.py").toURI());
        tornado = new ProcessBuilder(PYTHON.toString(), script.toString(), "serve", SECRET)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(tornado.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(first).startsWith("listening ");
        tornadoBase = "http://127.0.0.1:" + first.substring("listening ".length()).trim();
        Application app = new Application(List.of(url("/signed/set", SignedSet.class), url("/signed/get", SignedGet.class),
                url("/xsrf", Xsrf.class)), ApplicationSettings.builder().cookieSecret(SECRET).xsrfCookies(true).build());
        gale = app.listen(0, "127.0.0.1");
        galeBase = "http://127.0.0.1:" + gale.boundPorts().get(0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gale != null) {
            gale.close();
        }
        if (tornado != null) {
            tornado.getOutputStream().close();
            if (!tornado.waitFor(10, TimeUnit.SECONDS)) {
                tornado.destroyForcibly();
            }
        }
    }

    /** Runs calls of Tornado's functions in one python3 process. */
    private static List<JsonNode> tornadoCalls(List<ObjectNode> calls) throws Exception {
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), "calls")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(calls));
        }
        JsonNode results = JSON.readTree(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        List<JsonNode> out = new ArrayList<>();
        results.forEach(out::add);
        assertThat(out).hasSize(calls.size());
        return out;
    }

    private static ObjectNode call(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    private static ObjectNode keyed(ObjectNode call, Map<Integer, String> secrets) {
        ObjectNode s = call.putObject("secrets");
        secrets.forEach((k, v) -> s.put(Integer.toString(k), v));
        return call;
    }

    private static SignedValues gale(long epochSecond) {
        return SignedValues.of(SECRET).withClock(InstantSource.fixed(Instant.ofEpochSecond(epochSecond)));
    }

    // ------------------------------------------------------------------- signed values, calls

    @Test
    void bothSignTheSameValuesToTheSameBytes() throws Exception {
        Map<Integer, String> keys = Map.of(1, SECRET, 7, "another secret of 32 bytes or more!");
        SignedValues keyedGale = SignedValues.of(keys, 7).withClock(InstantSource.fixed(Instant.ofEpochSecond(T)));
        List<ObjectNode> calls = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (byte[] v : VALUES) {
            for (int version : new int[] {1, 2}) {
                calls.add(call("create").put("secret", SECRET).put("name", "user").put("value", b64(v))
                        .put("version", version).put("clock", T));
                expected.add(gale(T).createSignedValue("user", v, version));
            }
            calls.add(keyed(call("create"), keys).put("key_version", 7).put("name", "session").put("value", b64(v))
                    .put("clock", T));
            expected.add(keyedGale.createSignedValue("session", v));
        }
        List<JsonNode> results = tornadoCalls(calls);
        for (int i = 0; i < calls.size(); i++) {
            assertThat(results.get(i).get("signed").asText()).as(calls.get(i).toString().substring(0, 60))
                    .isEqualTo(expected.get(i));
        }
    }

    @Test
    void galeReadsTornadosValuesAndTornadoReadsGales() throws Exception {
        List<ObjectNode> create = new ArrayList<>();
        for (byte[] v : VALUES) {
            for (int version : new int[] {1, 2}) {
                create.add(call("create").put("secret", SECRET).put("name", "user").put("value", b64(v))
                        .put("version", version).put("clock", T - 3600));
            }
        }
        List<JsonNode> tornadoSigned = tornadoCalls(create);
        List<ObjectNode> decode = new ArrayList<>();
        int i = 0;
        for (byte[] v : VALUES) {
            for (int version : new int[] {1, 2}) {
                String fromTornado = tornadoSigned.get(i++).get("signed").asText();
                assertThat(gale(T).decodeSignedValue("user", fromTornado)).isEqualTo(v);
                assertThat(gale(T).decodeSignedValue("other", fromTornado)).isNull();
                String fromGale = gale(T - 60).createSignedValue("user", v, version);
                decode.add(call("decode").put("secret", SECRET).put("name", "user").put("signed", fromGale).put("clock", T));
                decode.add(call("decode").put("secret", SECRET).put("name", "user").put("signed", fromGale)
                        .put("clock", T + 40 * 86400)); // expired for both
            }
        }
        List<JsonNode> decoded = tornadoCalls(decode);
        int j = 0;
        for (byte[] v : VALUES) {
            for (int version = 1; version <= 2; version++) {
                assertThat(decoded.get(j++).get("value").asText()).isEqualTo(b64(v));
                assertThat(decoded.get(j++).get("value").isNull()).isTrue();
            }
        }
    }

    @Test
    void keyVersionsAgree() throws Exception {
        Map<Integer, String> keys = Map.of(0, "key zero, thirty-two bytes at least", 3, SECRET);
        SignedValues keyedGale = SignedValues.of(keys, 3).withClock(InstantSource.fixed(Instant.ofEpochSecond(T)));
        String fromGale = keyedGale.createSignedValue("k", "v");
        List<JsonNode> r = tornadoCalls(List.of(
                keyed(call("create"), keys).put("key_version", 0).put("name", "k").put("value", b64(bytes("zero")))
                        .put("clock", T),
                keyed(call("decode"), keys).put("name", "k").put("signed", fromGale).put("clock", T),
                call("key_version").put("signed", fromGale)));
        assertThat(keyedGale.decodeSignedString("k", r.get(0).get("signed").asText())).isEqualTo("zero");
        assertThat(SignedValues.signatureKeyVersion(r.get(0).get("signed").asText())).isZero();
        assertThat(r.get(1).get("value").asText()).isEqualTo(b64(bytes("v")));
        assertThat(r.get(2).get("key_version").asInt()).isEqualTo(3).isEqualTo(SignedValues.signatureKeyVersion(fromGale));
    }

    @Test
    void malformedValuesAreRefusedByBoth() throws Exception {
        String good = gale(T).createSignedValue("n", "v");
        String goodV1 = gale(T).createSignedValue("n", bytes("v"), 1);
        List<String> hostile = new ArrayList<>(List.of("2|", "2|1:0|", "2|1:0|10:" + T + "|1:n|4:dg==|",
                good.substring(0, good.length() - 1), good + "0", good.replace("|1:n|", "|1:m|"),
                good.replace("2|1:0|", "2|1:1|"), good.replace("10:" + T, "10:" + (T + 1)), "3|" + good.substring(2),
                goodV1.substring(1), goodV1.replace("|" + T + "|", "|" + (T - 1) + "|"), "2|1:0|10:" + T + "|1:n|99:dg==|x",
                "2|99999999999999999999:0|", "|||", "dg==||", "x".repeat(10_000)));
        // a signature over a timestamp far in the future (Tornado refuses this for version 1 only)
        hostile.add(gale(T + 400 * 86400).createSignedValue("n", bytes("v"), 1));
        List<ObjectNode> calls = new ArrayList<>();
        for (String h : hostile) {
            calls.add(call("decode").put("secret", SECRET).put("name", "n").put("signed", h).put("clock", T));
        }
        List<JsonNode> r = tornadoCalls(calls);
        for (int i = 0; i < hostile.size(); i++) {
            String what = hostile.get(i).length() > 80 ? "long" : hostile.get(i);
            JsonNode t = r.get(i);
            assertThat(t.has("error") || t.get("value").isNull()).as("Tornado refuses " + what + ": " + t).isTrue();
            assertThat(gale(T).decodeSignedValue("n", hostile.get(i))).as("Gale refuses " + what).isNull();
        }
    }

    // ---------------------------------------------------------------------- XSRF, calls

    @Test
    void tornadoDecodesGalesXsrfTokensToTheSameToken() throws Exception {
        XsrfToken token = XsrfToken.generate(T);
        List<String> texts = List.of(token.masked(), token.masked(), token.masked(HexFormat.of().parseHex("00000000")),
                token.v1(), token.v1().toUpperCase());
        List<ObjectNode> calls = new ArrayList<>();
        texts.forEach(t -> calls.add(call("xsrf_decode").put("token", t)));
        // malformed: both read no token. (A mask that is not 4 bytes is not in this list: Gale refuses
        // it, Tornado 6.2's C speedup reads such a mask past its end and yields a garbage token.)
        List<String> bad = List.of("3|aabbccdd|0011|1", "2|aabbccdd|0011", "2|aabbccdd|0011|x",
                "2|aabbccdd|001|1", "2|aabbccdd|zz11|1", "2|aabbccdd|0011|1|2");
        bad.forEach(t -> calls.add(call("xsrf_decode").put("token", t)));
        List<JsonNode> r = tornadoCalls(calls);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(r.get(i).get("token").asText()).as(texts.get(i)).isEqualTo(HexFormat.of().formatHex(token.token()));
            assertThat(XsrfToken.decode(texts.get(i), 0).sameToken(token)).isTrue();
        }
        assertThat(r.get(0).get("timestamp").asLong()).isEqualTo(T);
        for (int i = 0; i < bad.size(); i++) {
            assertThat(r.get(texts.size() + i).get("token").isNull()).as("Tornado: " + bad.get(i)).isTrue();
            assertThat(XsrfToken.decode(bad.get(i), 0)).as("Gale: " + bad.get(i)).isNull();
        }
    }

    // ------------------------------------------------------------------------ real sockets

    private static HttpResponse<String> send(String url, String cookie, String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** "name=value" of the response's Set-Cookie for {@code name}, as a browser sends it back (quotes kept). */
    private static String cookie(HttpResponse<?> r, String name) {
        String h = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + r.headers()));
        return h.substring(0, h.indexOf(';'));
    }

    private static String enc(String s) {
        return HttpUtil.urlEncode(s);
    }

    @Test
    void signedCookiesCrossBetweenTheServers() throws Exception {
        for (byte[] v : VALUES.subList(0, 5)) {
            // Tornado sets, Gale reads (Python quotes values holding '=' or '/', browsers send them back so)
            HttpResponse<String> set = send(tornadoBase + "/signed/set?name=user&value=" + enc(b64(v)), null, null);
            String fromTornado = cookie(set, "user");
            assertThat(send(galeBase + "/signed/get?name=user", fromTornado, null).body()).as(fromTornado).isEqualTo(b64(v));
            assertThat(send(galeBase + "/signed/get?name=other", fromTornado.replace("user=", "other="), null).body())
                    .isEqualTo("null");
            // Gale sets, Tornado reads
            String fromGale = cookie(send(galeBase + "/signed/set?name=user&value=" + enc(b64(v)), null, null), "user");
            JsonNode read = JSON.readTree(send(tornadoBase + "/signed/get?name=user", fromGale, null).body());
            assertThat(read.get("value").asText()).isEqualTo(b64(v));
        }
        // forged on either side: nobody
        String fromGale = cookie(send(galeBase + "/signed/set?name=user&value=" + enc(b64(bytes("ann"))), null, null), "user");
        String forged = fromGale.replace("|4:YW5u|", "|4:Ym9i|");
        assertThat(JSON.readTree(send(tornadoBase + "/signed/get?name=user", forged, null).body()).get("value").isNull())
                .isTrue();
        assertThat(send(galeBase + "/signed/get?name=user", forged, null).body()).isEqualTo("null");
    }

    @Test
    void xsrfTokensCrossBetweenTheServers() throws Exception {
        // Tornado's cookie and page token, posted to Gale
        HttpResponse<String> page = send(tornadoBase + "/xsrf", null, null);
        String cookie = cookie(page, "_xsrf");
        String token = page.body();
        assertThat(send(galeBase + "/xsrf", cookie, "_xsrf=" + enc(token)).body()).isEqualTo("accepted");
        assertThat(send(galeBase + "/xsrf", cookie, "a=1", "X-XSRFToken", token).statusCode()).isEqualTo(200);
        // a later Tornado page (same cookie, new mask) too
        String again = send(tornadoBase + "/xsrf", cookie, null).body();
        assertThat(again).isNotEqualTo(token);
        assertThat(send(galeBase + "/xsrf", cookie, "_xsrf=" + enc(again)).statusCode()).isEqualTo(200);

        // Gale's cookie and page token, posted to Tornado
        HttpResponse<String> galePage = send(galeBase + "/xsrf", null, null);
        String galeCookie = cookie(galePage, "_xsrf");
        String galeToken = galePage.body();
        assertThat(send(tornadoBase + "/xsrf", galeCookie, "_xsrf=" + enc(galeToken)).body()).isEqualTo("accepted");
        assertThat(send(tornadoBase + "/xsrf", galeCookie, "a=1", "X-CSRFToken", galeToken).statusCode()).isEqualTo(200);
        String galeAgain = send(galeBase + "/xsrf", galeCookie, null).body();
        assertThat(send(tornadoBase + "/xsrf", galeCookie, "_xsrf=" + enc(galeAgain)).statusCode()).isEqualTo(200);

        // mismatches are refused by both
        assertThat(send(galeBase + "/xsrf", cookie, "_xsrf=" + enc(galeToken)).statusCode()).isEqualTo(403);
        assertThat(send(tornadoBase + "/xsrf", galeCookie, "_xsrf=" + enc(token)).statusCode()).isEqualTo(403);
        assertThat(send(tornadoBase + "/xsrf", galeCookie, "a=1").statusCode()).isEqualTo(403);
    }
}
