package io.gale.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Every request vector of the three public corpora in test resources, as the bytes a client
 * sends, built the way the parser-level corpus tests build them (so the server is judged on the
 * same inputs): llhttp request markdown (strict mode only, Host inserted where HTTP/1.1 needs
 * it), Http11Probe cases, http-desync-guardian YAML cases.
 */
final class RequestVectors {
    private RequestVectors() {
    }

    /** One request vector: corpus, an id unique within it, and the bytes. */
    record Vector(String corpus, String id, byte[] input) {
    }

    static List<Vector> all() throws IOException {
        List<Vector> out = new ArrayList<>();
        out.addAll(llhttp());
        out.addAll(http11probe());
        out.addAll(desyncGuardian());
        return out;
    }

    static List<Vector> llhttp() throws IOException {
        List<Vector> out = new ArrayList<>();
        for (String file : LlhttpVectorsTest.FILES) {
            if (!file.startsWith("request/")) {
                continue;
            }
            for (LlhttpMarkdown.Vector v : LlhttpMarkdown.read("/vectors/llhttp/" + file)) {
                // the same selection as LlhttpVectorsTest: strict request vectors only
                if (!(v.type().equals("request") || v.type().equals("request-finish")) || v.skipBody()) {
                    continue;
                }
                out.add(new Vector("llhttp", file + ":" + v.line(), LlhttpVectorsTest.injectHost(v.input())));
            }
        }
        return out;
    }

    static List<Vector> http11probe() throws IOException {
        List<Vector> out = new ArrayList<>();
        for (JsonNode c : Http11ProbeVectorsTest.readJsonl(new ObjectMapper(), "/vectors/http11probe/http11probe-cases.jsonl")) {
            String id = c.get("id").asText();
            byte[] input = c.get("requests_literal").asBoolean() ? Http11ProbeVectorsTest.concat(c.get("requests"))
                : Http11ProbeVectorsTest.rebuilt(id);
            out.add(new Vector("http11probe", id, input));
        }
        return out;
    }

    static List<Vector> desyncGuardian() throws IOException {
        List<Vector> out = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String file : DesyncGuardianVectorsTest.FILES) {
            try (InputStream in = RequestVectors.class.getResourceAsStream("/vectors/http-desync-guardian/" + file)) {
                for (JsonNode c : yaml.readTree(in)) {
                    out.add(new Vector("http-desync-guardian", file + " [" + c.get("name").asText() + "]",
                            DesyncGuardianVectorsTest.build(c)));
                }
            }
        }
        return out;
    }
}
