package io.gale.demos.httpbin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Content encodings: {@code /gzip}, {@code /deflate} and {@code /brotli} (always encoded,
 * whatever the client accepts, as httpbin does) and {@code /base64/{value}} (URL-safe base64 decoded to text).
 * Synchronous.
 */
final class Encodings {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Encodings() {
    }

    /** {@code GET /gzip}: {"gzipped": true, "headers", "method", "origin"}, gzip-encoded. */
    public static final class Gzip extends HttpBinHandler {
        public void get() {
            byte[] json = json(this, "gzipped");
            ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 2 + 32);
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
            }
            send(this, "gzip", out.toByteArray());
        }
    }

    /** {@code GET /deflate}: {"deflated": true, ...}, zlib-wrapped deflate (HTTP's "deflate"). */
    public static final class Deflate extends HttpBinHandler {
        public void get() {
            byte[] json = json(this, "deflated");
            Deflater deflater = new Deflater();
            try {
                deflater.setInput(json);
                deflater.finish();
                ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 2 + 32);
                byte[] buf = new byte[4096];
                while (!deflater.finished()) {
                    out.write(buf, 0, deflater.deflate(buf));
                }
                send(this, "deflate", out.toByteArray());
            } finally {
                deflater.end();
            }
        }
    }

    /**
     * {@code GET /brotli}: {"brotli": true, ...}, Brotli-encoded ({@code Content-Encoding: br})
     * by Brotli4j, Google's encoder through JNI. The native library is loaded on first use; on a
     * platform Brotli4j has no native build for, the answer is 501 with a JSON error.
     */
    public static final class Brotli extends HttpBinHandler {
        public void get() {
            byte[] json = json(this, "brotli");
            byte[] encoded;
            try {
                encoded = BrotliCodec.compress(json);
            } catch (UnsupportedOperationException e) {
                setStatus(501);
                write(Map.of("error", e.getMessage()));
                return;
            }
            send(this, "br", encoded);
        }
    }

    private static byte[] json(HttpBinHandler h, String flag) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(flag, true);
        m.put("headers", RequestEcho.headers(h.request()));
        m.put("method", h.request().method());
        m.put("origin", RequestEcho.origin(h.request()));
        try {
            return MAPPER.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // maps of strings always encode
        }
    }

    private static void send(HttpBinHandler h, String encoding, byte[] body) {
        h.setHeader("Content-Type", "application/json");
        h.setHeader("Content-Encoding", encoding);
        h.write(body);
    }

    /** {@code GET /base64/{value}}: the decoded text; 400 when it is not base64 of UTF-8 text. */
    public static final class Base64Decode extends HttpBinHandler {
        public void get(String value) {
            byte[] decoded;
            try {
                decoded = Base64.getUrlDecoder().decode(value.strip());
            } catch (IllegalArgumentException e) {
                throw badRequest("Incorrect Base64 data try: SFRUUEJJTiBpcyBhd2Vzb21l");
            }
            String text = RequestEcho.utf8(decoded);
            if (text == null) {
                throw badRequest("the decoded value is not UTF-8 text");
            }
            write(text);
        }
    }
}
