package io.gale.http;

import io.gale.internal.http.Http1Parser;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.http.ParserDriver.Outcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Http11Probe cases (vectors/http11probe, MIT) through the request parser. A case's
 * requests are concatenated (sent on one connection), parsed, and the parser's decision is
 * compared with the case's {@code expected} text: a rejection passes if its status (or "close") is
 * listed; an acceptance passes if a 2xx or an application-level status (304, 405, ...) is listed,
 * since what the application answers to an accepted request is beyond parsing. "Warn" answers
 * count as acceptable. Cases whose bytes are abbreviated upstream are rebuilt in {@link #rebuilt}.
 */
@Timeout(60)
class Http11ProbeVectorsTest {
    private static final Logger log = LoggerFactory.getLogger(Http11ProbeVectorsTest.class);

    /** Where the parser's decision differs from the listed answers, with the RFC that decides. */
    static final Map<String, String> DEVIATIONS = Map.ofEntries(
    );

    @Test
    void cases() throws IOException {
        ObjectMapper json = new ObjectMapper();
        int passed = 0;
        int deviations = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode c : readJsonl(json, "/vectors/http11probe/http11probe-cases.jsonl")) {
            String id = c.get("id").asText();
            String expected = c.get("expected").asText();
            byte[] input = c.get("requests_literal").asBoolean() ? concat(c.get("requests")) : rebuilt(id);
            Outcome o = ParserDriver.run(Http1Parser.forRequests(Http1ParserLimits.DEFAULTS), input, null, false, true,
                true);
            boolean rejected = o.error() != null;
            boolean closedSilently = !rejected && o.messages().isEmpty() && o.terminal().equals("END");
            boolean ok = rejected ? rejectionListed(expected, o.errorStatus())
                : closedSilently ? expected.toLowerCase().contains("close") : acceptanceListed(expected);
            String line = id + ": expected [" + expected + "] got "
                + (rejected ? o.errorStatus() + " " + o.error().reason() : "accepted " + o.completed());
            if (rejected && expected.contains("2xx")) {
                log.info("stricter than required: {}", line);
            }
            if (DEVIATIONS.containsKey(id)) {
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
        log.info("http11probe: {} passed, {} documented deviations", passed, deviations);
        assertThat(failures).isEmpty();
    }

    private static final Pattern CODE = Pattern.compile("\\b([1-5])(\\d\\d|xx)\\b");

    static boolean rejectionListed(String expected, int status) {
        String e = expected.replaceAll("(\\+|with)\\s+(connection\\s+)?closed?", "");
        if (e.contains(Integer.toString(status))) {
            return true;
        }
        if (e.toLowerCase().contains("close") || e.contains("Reject")) {
            return true; // the parser's error closes the connection
        }
        return anyAnswer(expected) && !expected.contains(Integer.toString(status));
    }

    static boolean acceptanceListed(String expected) {
        Matcher m = CODE.matcher(expected);
        while (m.find()) {
            int cls = m.group(1).charAt(0) - '0';
            if (cls == 2 || cls == 3) {
                return true;
            }
            int code = m.group(2).equals("xx") ? 0 : cls * 100 + Integer.parseInt(m.group(2));
            // answers an application gives to a well-formed request
            if (code == 405 || code == 406 || code == 415 || code == 416 || code == 417 || code == 426) {
                return true;
            }
        }
        return anyAnswer(expected) || expected.contains("preserve (warn)") || expected.contains("pass-through")
            || expected.contains("follow-up = warn");
    }

    /** Cases that accept any answer but one (checked by the caller) or any answer at all. */
    private static boolean anyAnswer(String expected) {
        String l = expected.toLowerCase();
        return l.contains("any ") || l.contains("non-`101`") || l.contains("not `101`") || l.contains("non-1xx")
            || l.contains("imf-fixdate") || l.contains("sensitive headers");
    }

    static byte[] concat(JsonNode requests) {
        StringBuilder sb = new StringBuilder();
        requests.forEach(r -> sb.append(r.asText()));
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The cases whose request bytes the upstream docs abbreviate, rebuilt from their description. */
    static byte[] rebuilt(String id) {
        String host = "Host: localhost:8080\r\n";
        String s = switch (id) {
            case "COOK-MANY-PAIRS" -> {
                StringBuilder c = new StringBuilder();
                for (int i = 0; i < 1000; i++) {
                    c.append(i == 0 ? "" : "; ").append('k').append(i).append("=v").append(i);
                }
                yield "GET /echo HTTP/1.1\r\n" + host + "Cookie: " + c + "\r\n\r\n";
            }
            case "COOK-OVERSIZED" -> "GET /echo HTTP/1.1\r\n" + host + "Cookie: big=" + "A".repeat(65536) + "\r\n\r\n";
            case "MAL-BINARY-GARBAGE" -> "\u00d3\u0017\u0000\u00ff\u0089PNG\u0001\u0002\r\u00fe\u0000\u00aa";
            case "MAL-CHUNK-EXT-64K" -> "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n5;ext="
                + "a".repeat(65536) + "\r\nhello\r\n0\r\n\r\n";
            case "MAL-EMPTY-REQUEST" -> "";
            case "MAL-LONG-HEADER-NAME" -> "GET / HTTP/1.1\r\n" + host + "A".repeat(100_000) + ": val\r\n\r\n";
            case "MAL-LONG-HEADER-VALUE" -> "GET / HTTP/1.1\r\n" + host + "X-Big: " + "B".repeat(100_000) + "\r\n\r\n";
            case "MAL-LONG-METHOD" -> "A".repeat(100_000) + " / HTTP/1.1\r\n" + host + "\r\n";
            case "MAL-LONG-URL" -> "GET /" + "A".repeat(100_000) + " HTTP/1.1\r\n" + host + "\r\n";
            case "MAL-MANY-HEADERS" -> {
                StringBuilder h = new StringBuilder("GET / HTTP/1.1\r\n" + host);
                for (int i = 0; i < 10_000; i++) {
                    h.append("X-H-").append(i).append(": value\r\n");
                }
                yield h + "\r\n";
            }
            case "MAL-RANGE-OVERLAPPING` (unscored)" -> "GET / HTTP/1.1\r\n" + host + "Range: bytes="
                + String.join(",", java.util.Collections.nCopies(1000, "0-")) + "\r\n\r\n";
            case "COMP-LONG-URL-OK" -> "GET /" + "a".repeat(7900) + " HTTP/1.1\r\n" + host + "\r\n";
            case "SMUG-CL-LEADING-ZEROS-OCTAL" -> "POST / HTTP/1.1\r\n" + host + "Content-Length: 0200\r\n\r\n"
                + "A".repeat(200);
            default -> throw new AssertionError("no rebuilt request for " + id);
        };
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static List<JsonNode> readJsonl(ObjectMapper json, String resource) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = Http11ProbeVectorsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                if (!l.isBlank()) {
                    out.add(json.readTree(l));
                }
            }
        }
        return out;
    }
}
