package io.gale.demos.httpbin;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Conditional requests and caching: {@code /cache} (304 whenever the client sends
 * If-Modified-Since or If-None-Match), {@code /cache/{n}} (Cache-Control: public, max-age=n),
 * {@code /etag/{etag}} (If-None-Match → 304, failed If-Match → 412). Bodies have the
 * {@code /get} shape. Synchronous.
 *
 * <p>Unlike httpbin, which sends the ETag bare, {@code /etag/{etag}} sends it quoted as RFC 9110
 * requires ({@code ETag: "abc"}); both quoted and bare forms are accepted in the request headers.
 */
final class Caching {
    private Caching() {
    }

    /** {@code GET /cache}. */
    public static final class Cache extends HttpBinHandler {
        public void get() {
            if (request().headers().contains("If-Modified-Since") || request().headers().contains("If-None-Match")) {
                setStatus(304);
                return;
            }
            setHeader("Last-Modified", Instant.now());
            setHeader("ETag", '"' + UUID.randomUUID().toString().replace("-", "") + '"');
            write(RequestEcho.get(request()));
        }
    }

    /** {@code GET /cache/{n}}. */
    public static final class CacheFor extends HttpBinHandler {
        public void get(String n) {
            int seconds = intArg("n", n, 0, Integer.MAX_VALUE);
            setHeader("Cache-Control", "public, max-age=" + seconds);
            write(RequestEcho.get(request()));
        }
    }

    /** {@code GET /etag/{etag}}. */
    public static final class Etag extends HttpBinHandler {
        public void get(String etag) {
            if (etag.isEmpty() || !etag.chars().allMatch(c -> c == 0x21 || (c >= 0x23 && c <= 0x7e))) {
                throw badRequest("an entity tag is visible ASCII characters other than '\"'");
            }
            setHeader("ETag", '"' + etag + '"');
            List<String> ifNoneMatch = tags("If-None-Match");
            List<String> ifMatch = tags("If-Match");
            if (!ifNoneMatch.isEmpty()) {
                if (ifNoneMatch.contains(etag) || ifNoneMatch.contains("*")) {
                    setStatus(304);
                    return;
                }
            } else if (!ifMatch.isEmpty() && !ifMatch.contains(etag) && !ifMatch.contains("*")) {
                setStatus(412);
                return;
            }
            write(RequestEcho.get(request()));
        }

        /** The entity tags of a header, without quotes or {@code W/} (as httpbin compares them). */
        private List<String> tags(String header) {
            List<String> out = new java.util.ArrayList<>();
            for (String value : request().headers().getAll(header)) {
                for (String t : value.split(",")) {
                    String tag = t.strip();
                    if (tag.startsWith("W/")) {
                        tag = tag.substring(2);
                    }
                    if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                        tag = tag.substring(1, tag.length() - 1);
                    }
                    if (!tag.isEmpty()) {
                        out.add(tag);
                    }
                }
            }
            return out;
        }
    }
}
