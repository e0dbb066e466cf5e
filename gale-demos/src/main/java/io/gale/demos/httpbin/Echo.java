package io.gale.demos.httpbin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Request inspection: {@code /get}, {@code /post}, {@code /put}, {@code /patch}, {@code /delete},
 * {@code /anything(/...)}, {@code /headers}, {@code /ip}, {@code /user-agent}. Synchronous
 * handlers: they run on the loop and finish when the method returns.
 */
final class Echo {
    private Echo() {
    }

    /** {@code GET /get}: {"args", "headers", "origin", "url"}. */
    public static final class Get extends HttpBinHandler {
        public void get() {
            write(RequestEcho.get(request()));
        }
    }

    /** {@code POST /post}: {"args", "data", "files", "form", "headers", "json", "origin", "url"}. */
    public static final class Post extends HttpBinHandler {
        public void post() {
            write(RequestEcho.withBody(request(), false));
        }
    }

    /** {@code PUT /put}, shaped as {@code /post}. */
    public static final class Put extends HttpBinHandler {
        public void put() {
            write(RequestEcho.withBody(request(), false));
        }
    }

    /** {@code PATCH /patch}, shaped as {@code /post}. */
    public static final class Patch extends HttpBinHandler {
        public void patch() {
            write(RequestEcho.withBody(request(), false));
        }
    }

    /** {@code DELETE /delete}, shaped as {@code /post}. */
    public static final class Delete extends HttpBinHandler {
        public void delete() {
            write(RequestEcho.withBody(request(), false));
        }
    }

    /**
     * {@code /anything} and {@code /anything/...}: the {@code /post} shape plus "method", for GET,
     * POST, PUT, PATCH and DELETE; OPTIONS is the preflight answer, as on httpbin.
     */
    public static final class Anything extends HttpBinHandler {
        public void get() {
            echo();
        }

        public void post() {
            echo();
        }

        public void put() {
            echo();
        }

        public void patch() {
            echo();
        }

        public void delete() {
            echo();
        }

        private void echo() {
            write(RequestEcho.withBody(request(), true));
        }
    }

    /** {@code GET /headers}: {"headers": {...}}. */
    public static final class Headers extends HttpBinHandler {
        public void get() {
            write(Map.of("headers", RequestEcho.headers(request())));
        }
    }

    /** {@code GET /ip}: {"origin": "127.0.0.1"}. */
    public static final class Ip extends HttpBinHandler {
        public void get() {
            write(Map.of("origin", RequestEcho.origin(request())));
        }
    }

    /** {@code GET /user-agent}: {"user-agent": "..."} (null when the client sent none). */
    public static final class UserAgent extends HttpBinHandler {
        public void get() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("user-agent", request().headers().get("User-Agent"));
            write(m);
        }
    }
}
