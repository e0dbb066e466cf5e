package io.gale.demos.httpbin;

/**
 * Redirects: {@code /redirect/{n}} ({@code ?absolute=true} for absolute URLs),
 * {@code /relative-redirect/{n}}, {@code /absolute-redirect/{n}} (each 302 to the next, the last
 * to {@code /get}), and {@code /redirect-to?url=...&status_code=...}. Synchronous.
 */
final class Redirects {
    /** Longest chain; httpbin has no bound, a demo server wants one. */
    static final int MAX_REDIRECTS = 1000;

    private Redirects() {
    }

    /** {@code GET /redirect/{n}}: relative redirects unless {@code absolute=true}. */
    public static final class Redirect extends HttpBinHandler {
        public void get(String n) {
            int count = intArg("n", n, 1, MAX_REDIRECTS);
            boolean absolute = getArgument("absolute", "false").equalsIgnoreCase("true");
            String base = absolute ? request().protocol() + "://" + request().host() : "";
            if (count == 1) {
                redirect(base + "/get");
            } else {
                redirect(base + (absolute ? "/absolute-redirect/" : "/relative-redirect/") + (count - 1));
            }
        }
    }

    /** {@code GET /relative-redirect/{n}}. */
    public static final class Relative extends HttpBinHandler {
        public void get(String n) {
            int count = intArg("n", n, 1, MAX_REDIRECTS);
            redirect(count == 1 ? "/get" : "/relative-redirect/" + (count - 1));
        }
    }

    /** {@code GET /absolute-redirect/{n}}: Location carries scheme and host. */
    public static final class Absolute extends HttpBinHandler {
        public void get(String n) {
            int count = intArg("n", n, 1, MAX_REDIRECTS);
            String base = request().protocol() + "://" + request().host();
            redirect(base + (count == 1 ? "/get" : "/absolute-redirect/" + (count - 1)));
        }
    }

    /**
     * {@code /redirect-to?url=U&status_code=C} with GET, POST, PUT, PATCH or DELETE: redirects to
     * {@code U} with {@code C} (default 302; it must be 3xx).
     */
    public static final class RedirectTo extends HttpBinHandler {
        public void get() {
            answer();
        }

        public void post() {
            answer();
        }

        public void put() {
            answer();
        }

        public void patch() {
            answer();
        }

        public void delete() {
            answer();
        }

        private void answer() {
            String url = getArgument("url");
            int status = intArgument("status_code", 302, 300, 399);
            setStatus(status);
            setUserHeader("Location", url, false);
            finish();
        }
    }
}
