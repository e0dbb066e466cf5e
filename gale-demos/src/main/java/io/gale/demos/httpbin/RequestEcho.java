package io.gale.demos.httpbin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.http.HttpFile;
import io.gale.http.HttpServerRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * httpbin's description of a request, as JSON-ready maps with httpbin's keys and shapes:
 * {@code args} and {@code form} map a name to a string, or to a list when it came several times;
 * {@code headers} has title-cased names, several values joined with commas; {@code data} is the
 * body as text (or a {@code data:} URL when it is not UTF-8); {@code json} the body parsed as
 * JSON, or null. Keys are sorted, as Flask's jsonify sorts them. Stateless.
 */
final class RequestEcho {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RequestEcho() {
    }

    /** The shape of {@code /get}: args, headers, origin, url. */
    static Map<String, Object> get(HttpServerRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("args", flatten(r.queryArguments()));
        m.put("headers", headers(r));
        m.put("origin", origin(r));
        m.put("url", url(r));
        return m;
    }

    /**
     * The shape of {@code /post} (and {@code /anything} with {@code method}): args, data, files,
     * form, headers, json, [method], origin, url.
     */
    static Map<String, Object> withBody(HttpServerRequest r, boolean method) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("args", flatten(r.queryArguments()));
        boolean form = isForm(r);
        m.put("data", form ? "" : text(r.body()));
        m.put("files", files(r.files()));
        m.put("form", flatten(r.bodyArguments()));
        m.put("headers", headers(r));
        m.put("json", form ? null : json(r.body()));
        if (method) {
            m.put("method", r.method());
        }
        m.put("origin", origin(r));
        m.put("url", url(r));
        return m;
    }

    static String origin(HttpServerRequest r) {
        return r.remoteIp() == null ? "" : r.remoteIp();
    }

    static String url(HttpServerRequest r) {
        return r.fullUrl();
    }

    /** Request headers: title-cased names, sorted, repeated values joined with ",". */
    static Map<String, String> headers(HttpServerRequest r) {
        Map<String, String> out = new TreeMap<>();
        r.headers().forEach((name, value) -> out.merge(titleCase(name), value, (a, b) -> a + "," + b));
        return out;
    }

    /** {@code content-type} → {@code Content-Type}. */
    static String titleCase(String name) {
        char[] c = name.toLowerCase(Locale.ROOT).toCharArray();
        boolean start = true;
        for (int i = 0; i < c.length; i++) {
            if (start) {
                c[i] = Character.toUpperCase(c[i]);
            }
            start = c[i] == '-';
        }
        return new String(c);
    }

    /** One value → the string; several → the list, as Werkzeug's MultiDict renders in httpbin. */
    static Map<String, Object> flatten(Map<String, List<String>> multi) {
        Map<String, Object> out = new TreeMap<>();
        multi.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, v.size() == 1 ? v.get(0) : List.copyOf(v));
            }
        });
        return out;
    }

    private static Map<String, Object> files(Map<String, List<HttpFile>> files) {
        Map<String, Object> out = new TreeMap<>();
        files.forEach((k, v) -> {
            List<String> bodies = new ArrayList<>(v.size());
            for (HttpFile f : v) {
                bodies.add(text(f.body()));
            }
            if (!bodies.isEmpty()) {
                out.put(k, bodies.size() == 1 ? bodies.get(0) : bodies);
            }
        });
        return out;
    }

    private static boolean isForm(HttpServerRequest r) {
        String ct = r.headers().get("Content-Type");
        if (ct == null) {
            return false;
        }
        String t = ct.toLowerCase(Locale.ROOT);
        return t.startsWith("application/x-www-form-urlencoded") || t.startsWith("multipart/form-data");
    }

    /** The bytes as UTF-8 text, or a base64 {@code data:} URL when they are not valid UTF-8. */
    static String text(byte[] body) {
        String s = utf8(body);
        return s != null ? s : "data:application/octet-stream;base64," + Base64.getEncoder().encodeToString(body);
    }

    /** The bytes decoded as UTF-8, or null when they are not valid UTF-8. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The body parsed as JSON, or null when empty or not JSON (httpbin does the same). */
    static JsonNode json(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
