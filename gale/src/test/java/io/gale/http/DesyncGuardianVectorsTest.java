package io.gale.http;

import io.gale.internal.http.Http1Parser;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gale.http.ParserDriver.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs aws/http-desync-guardian's cases (vectors/http-desync-guardian, Apache-2.0) through the
 * request parser. As a strict origin server: Severe and Ambiguous requests must be rejected;
 * Compliant ones accepted. Acceptable requests (tolerable, non-compliant but unambiguous framing)
 * may go either way: a strict parser rejects the ones RFC 9112 forbids (e.g. whitespace before
 * the colon, section 5.1), which is logged, not failed. The request is built as
 * {@code method SP uri SP version CRLF (name ":" SP value CRLF)* CRLF}; a Host field is added when
 * the case has none, since RFC 9112 section 3.2 would otherwise reject every HTTP/1.1 case.
 */
@Timeout(60)
class DesyncGuardianVectorsTest {
    private static final Logger log = LoggerFactory.getLogger(DesyncGuardianVectorsTest.class);

    static final String[] FILES = {"acceptable.yaml", "ambiguous.yaml", "bad-header-characters.yaml",
        "edge-cases.yaml", "more-compliant-tests.yaml", "real-life-test-cases.yaml", "rfc-compliant.yaml",
        "severe.yaml", "uri-specific-test-cases.yaml"};

    /**
     * Where an origin server following RFC 9112/9110 decides otherwise than this proxy-oriented
     * corpus, with the reason. Keys are case names.
     */
    static final Map<String, String> DEVIATIONS = Map.ofEntries(
        // Ambiguous for a proxy whose back end might normalise names; an origin server does not:
        // for it these are unknown tokens (RFC 9110 5.1) and framing stays unambiguous.
        Map.entry("Transfer_Encoding with underscore.", "origin server: unknown field name, RFC 9110 5.1"),
        Map.entry("Content_Length with underscore.", "origin server: unknown field name, RFC 9110 5.1"),
        Map.entry("Transfer-Encoding with multiple hyphens", "origin server: unknown field name, RFC 9110 5.1"),
        Map.entry("Transfer-Encoding with multiple delimiters", "origin server: unknown field name, RFC 9110 5.1"),
        // A body on GET/HEAD has no defined semantics (RFC 9110 9.3.1/9.3.2) but its framing is well
        // defined by RFC 9112 6.3, so the parser reads it; the application may refuse it.
        Map.entry("Get with a body and Content-Length", "RFC 9112 6.3: framing is unambiguous"),
        Map.entry("Get with a body and Transfer-Encoding", "RFC 9112 6.3: framing is unambiguous"),
        Map.entry("Head with a body and Content-Length", "RFC 9112 6.3: framing is unambiguous"),
        Map.entry("Head with a body and Transfer-Encoding", "RFC 9112 6.3: framing is unambiguous"),
        Map.entry("Has a CL in GET", "RFC 9112 6.3: framing is unambiguous"),
        Map.entry("Has a TE in GET", "RFC 9112 6.3: framing is unambiguous"),
        // Transfer codings other than chunked are not implemented: 501 (RFC 9112 6.1 SHOULD).
        Map.entry("Correct TE OK", "RFC 9112 6.1: unsupported transfer coding is 501"),
        Map.entry("Transfer-Encoding: identity and chunked OK", "RFC 9112 6.1: 501; identity is no longer registered"),
        Map.entry("Multiple transfer encoding headers in a single request OK", "RFC 9112 6.1: 501"),
        Map.entry("Different Transfer-Encoding headers", "RFC 9112 6.1: 501"),
        Map.entry("Different Transfer-Encoding headers combined", "RFC 9112 6.1: 501"),
        // chunked defines no parameters (RFC 9112 7); anything but the bare coding is refused.
        Map.entry("TE with custom parameters OK", "RFC 9112 7: chunked has no parameters"),
        Map.entry("Transfer-Encoding with a param: chunked;custom_param", "RFC 9112 7: chunked has no parameters"),
        // request-target syntax (RFC 9112 3.2, RFC 3986): no fragment, ASCII only, not empty.
        Map.entry("Compliant URL", "RFC 9112 3.2: '#fragment' and unencoded '\"<>{}|` are not in a request-target"),
        Map.entry("International in URI", "RFC 3986 2: a URI is US-ASCII; non-ASCII must be percent-encoded"),
        Map.entry("Empty URI", "RFC 9112 3: request-target is not empty"));

    @Test
    void cases() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        int passed = 0;
        int deviations = 0;
        int acceptableRejected = 0;
        int total = 0;
        List<String> failures = new ArrayList<>();
        for (String file : FILES) {
            JsonNode cases;
            try (InputStream in = getClass().getResourceAsStream("/vectors/http-desync-guardian/" + file)) {
                assertThat(in).as(file).isNotNull();
                cases = yaml.readTree(in);
            }
            for (JsonNode c : cases) {
                total++;
                String name = c.get("name").asText();
                String tier = c.get("expected").get("tier").asText();
                Outcome o = ParserDriver.run(Http1Parser.forRequests(Http1ParserLimits.DEFAULTS), build(c), null, false,
                    false);
                boolean rejected = o.error() != null;
                String line = file + " [" + name + "] " + tier + ": "
                    + (rejected ? o.errorStatus() + " " + o.error().reason() : "accepted");
                boolean ok = switch (tier) {
                    case "Severe", "Ambiguous" -> rejected;
                    case "Compliant" -> !rejected;
                    case "Acceptable" -> true;
                    default -> throw new AssertionError("unknown tier " + tier);
                };
                if (tier.equals("Acceptable") && rejected) {
                    acceptableRejected++;
                    log.info("stricter than required: {}", line);
                }
                if (DEVIATIONS.containsKey(name)) {
                    if (ok) {
                        failures.add("allow-listed deviation now passes, remove it: " + line);
                    }
                    deviations++;
                } else if (ok) {
                    passed++;
                } else {
                    failures.add(line);
                }
            }
        }
        log.info("http-desync-guardian: {} of {} passed ({} Acceptable rejected), {} documented deviations", passed,
            total, acceptableRejected, deviations);
        assertThat(failures).isEmpty();
        assertThat(total).isEqualTo(158);
    }

    static byte[] build(JsonNode c) {
        StringBuilder sb = new StringBuilder();
        String version = c.get("version").asText();
        sb.append(c.get("method").asText()).append(' ').append(c.get("uri").asText());
        if (!version.isEmpty()) {
            sb.append(' ').append(version);
        }
        sb.append("\r\n");
        boolean host = false;
        for (JsonNode h : c.path("headers")) {
            String n = h.get("name").asText();
            host |= n.equalsIgnoreCase("host");
            sb.append(n).append(": ").append(h.get("value").asText()).append("\r\n");
        }
        if (!host) {
            sb.append("Host: example.com\r\n");
        }
        sb.append("\r\n");
        // as UTF-8, like the corpus's own harness: non-ASCII URIs arrive as UTF-8 bytes
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
