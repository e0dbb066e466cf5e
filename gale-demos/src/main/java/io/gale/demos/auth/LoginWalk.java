package io.gale.demos.auth;

import io.gale.http.HttpUtil;
import io.gale.httpclient.HttpClient;
import io.gale.httpclient.HttpRequest;
import io.gale.httpclient.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One login through the local provider the way a browser makes it (the page, the login handler,
 * the provider's login form, the callback, the page with the claims, the logout), for the
 * launcher's training run ({@code io.gale.demos.AotTraining auth}): what a user's first minute
 * loads is then in the auth demo's start-up cache. A minimal browser on Gale's blocking
 * {@link HttpClient}: redirects followed by hand, the demo's cookies kept by name.
 *
 * <p>Not thread-safe; one walk per instance.
 */
public final class LoginWalk {
    private final String base;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    private LoginWalk(String base) {
        this.base = base;
    }

    /**
     * Logs {@code user} in at the demo at {@code base} (which runs the local provider), checks the
     * page names them, and logs out.
     *
     * @throws IllegalStateException if a step does not answer as a login should
     */
    public static void run(String base, String user) {
        LoginWalk walk = new LoginWalk(base);
        try (HttpClient http = new HttpClient()) {
            walk.walk(http, user);
        }
    }

    private void walk(HttpClient http, String user) {
        expect(get(http, base + "/"), 200);
        String authorize = location(expect(get(http, base + LoginProvider.OpenId.PATH), 302));
        expect(get(http, authorize), 200); // the provider's login form
        String form = "username=" + HttpUtil.urlEncode(user) + "&claims=" + HttpUtil.urlEncode("{\"name\":\"" + user + "\"}");
        String callback = location(expect(send(http, HttpRequest.newBuilder(authorize).method("POST")
                .header("Content-Type", "application/x-www-form-urlencoded").body(form)), 302));
        expect(get(http, callback), 302);
        HttpResponse home = expect(get(http, base + "/"), 200);
        if (!home.text().contains(user)) {
            throw new IllegalStateException("the page after the login does not name " + user);
        }
        String xsrf = cookies.get("_xsrf");
        expect(send(http, HttpRequest.newBuilder(base + "/auth/logout").method("POST")
                .header("Content-Type", "application/x-www-form-urlencoded").body("_xsrf=" + HttpUtil.urlEncode(xsrf))), 302);
    }

    private HttpResponse get(HttpClient http, String url) {
        return send(http, HttpRequest.newBuilder(url));
    }

    private HttpResponse send(HttpClient http, HttpRequest.Builder request) {
        request.followRedirects(false).raiseError(false);
        boolean ours = request.build().url().startsWith(base);
        if (ours && !cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((name, value) -> header.append(header.isEmpty() ? "" : "; ").append(name).append('=').append(value));
            request.header("Cookie", header.toString());
        }
        HttpResponse r = http.fetch(request.build());
        if (ours) {
            for (String c : r.headers().getAll("Set-Cookie")) {
                int eq = c.indexOf('=');
                int end = c.indexOf(';');
                String name = c.substring(0, eq);
                String value = c.substring(eq + 1, end < 0 ? c.length() : end);
                if (c.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
        }
        return r;
    }

    private static HttpResponse expect(HttpResponse r, int status) {
        if (r.code() != status) {
            throw new IllegalStateException(r.request().method() + " " + r.request().url() + " answered " + r.code()
                    + ", not " + status + ": " + r.text());
        }
        return r;
    }

    private static String location(HttpResponse r) {
        String location = r.headers().get("Location");
        if (location == null) {
            throw new IllegalStateException("no Location from " + r.request().url());
        }
        return location.startsWith("/") ? r.request().uri().resolve(location).toString() : location;
    }
}
