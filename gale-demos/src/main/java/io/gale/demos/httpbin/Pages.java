package io.gale.demos.httpbin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.web.RunOnVirtualThread;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Fixed and generated documents: the resource pages ({@code /html}, {@code /xml}, {@code /json},
 * {@code /robots.txt}, {@code /deny}, {@code /encoding/utf8}, {@code /forms/post}, {@code /}),
 * {@code /links/{n}/{offset}}, {@code /uuid} and {@code /response-headers}.
 */
final class Pages {
    private Pages() {
    }

    /**
     * A document read from the class path on each request. Reading a resource is blocking file
     * I/O, so this handler runs on a virtual thread ({@link RunOnVirtualThread}) where blocking
     * does not stall the loop; a production server would cache the bytes, a demo shows the style.
     * Init arguments: {@code resource} (relative to this package) and {@code contentType}.
     */
    @RunOnVirtualThread
    public static final class Resource extends HttpBinHandler {
        private String resource;
        private String contentType;

        @Override
        protected void initialize(Map<String, Object> initArgs) {
            resource = (String) initArgs.get("resource");
            contentType = (String) initArgs.get("contentType");
        }

        public void get() throws IOException {
            byte[] bytes;
            try (InputStream in = Pages.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("missing resource " + resource);
                }
                bytes = in.readAllBytes();
            }
            setHeader("Content-Type", contentType);
            write(bytes);
        }
    }

    /**
     * {@code GET /links/{n}/{offset}}: an HTML page with links to {@code /links/n/0 ..
     * /links/n/(n-1)}, the one at {@code offset} as plain text (n at most 200).
     */
    public static final class Links extends HttpBinHandler {
        public void get(String n, String offset) {
            int count = intArg("n", n, 1, 200);
            int current = intArg("offset", offset, 0, Integer.MAX_VALUE);
            StringBuilder html = new StringBuilder(64 + count * 32).append("<html><head><title>Links</title></head><body>");
            for (int i = 0; i < count; i++) {
                if (i == current) {
                    html.append(i).append(' ');
                } else {
                    html.append("<a href='/links/").append(count).append('/').append(i).append("'>").append(i)
                            .append("</a> ");
                }
            }
            write(html.append("</body></html>").toString());
        }
    }

    /** {@code GET /links/{n}}: redirects to {@code /links/n/0}. */
    public static final class LinksStart extends HttpBinHandler {
        public void get(String n) {
            redirect("/links/" + intArg("n", n, 1, 200) + "/0");
        }
    }

    /** {@code GET /uuid}: {"uuid": "..."} (a random UUID). */
    public static final class Uuid extends HttpBinHandler {
        public void get() {
            write(Map.of("uuid", UUID.randomUUID().toString()));
        }
    }

    /**
     * {@code GET|POST /response-headers?Name=value...}: each query argument becomes a response
     * header, and the JSON body lists the response's headers (Content-Length included, computed
     * until it describes itself, as httpbin does). Framing headers (Content-Length,
     * Transfer-Encoding, Connection, ...) cannot be set: they would corrupt the response.
     */
    public static final class ResponseHeaders extends HttpBinHandler {
        private static final ObjectMapper MAPPER = new ObjectMapper();
        private static final java.util.Set<String> FORBIDDEN = java.util.Set.of("content-length",
                "transfer-encoding", "connection", "keep-alive", "upgrade", "trailer", "te", "proxy-connection",
                "content-encoding");

        public void get() throws JsonProcessingException {
            answer();
        }

        public void post() throws JsonProcessingException {
            answer();
        }

        private void answer() throws JsonProcessingException {
            Map<String, List<String>> query = request().queryArguments();
            String contentType = "application/json";
            Map<String, Object> body = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, List<String>> e : query.entrySet()) {
                String name = e.getKey();
                if (FORBIDDEN.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    throw badRequest("header %s cannot be set here", name);
                }
                if (name.equalsIgnoreCase("Content-Type")) {
                    contentType = e.getValue().get(e.getValue().size() - 1);
                    setUserHeader("Content-Type", contentType, false);
                    continue;
                }
                for (String v : e.getValue()) {
                    setUserHeader(name, v, true);
                }
                body.put(name, e.getValue().size() == 1 ? e.getValue().get(0) : List.copyOf(e.getValue()));
            }
            setUserHeader("Content-Type", contentType, false);
            body.put("Content-Type", contentType);
            // The body states its own length: iterate until the number of digits settles.
            byte[] json = null;
            int length = 0;
            for (int i = 0; i < 5; i++) {
                body.put("Content-Length", Integer.toString(length));
                json = MAPPER.writeValueAsBytes(new LinkedHashMap<>(body));
                if (json.length == length) {
                    break;
                }
                length = json.length;
            }
            write(json);
        }
    }
}
