package io.gale.demos.blog;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A browser for the blog's socket tests: the JDK's HttpClient with a cookie manager (so the
 * {@code _xsrf} and login cookies come and go as a browser's would), redirects not followed (the
 * tests check them), and forms posted with the XSRF token taken from the cookie jar, as the
 * {@code _xsrf} hidden field would carry it. Not thread-safe.
 */
final class BlogClient {
    private final String base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    BlogClient(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A form POST carrying the current {@code _xsrf} token (a GET fetches one first when there is none). */
    HttpResponse<String> post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putIfAbsent("_xsrf", xsrf());
        return postRaw(path, all);
    }

    /** A form POST with exactly {@code fields} (no token added). */
    HttpResponse<String> postRaw(String path, Map<String, String> fields) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code _xsrf} cookie, fetched with a GET of {@code /archive} if the jar has none. */
    String xsrf() throws IOException, InterruptedException {
        String token = cookie("_xsrf");
        if (token == null) {
            get("/auth/login");
            token = cookie("_xsrf");
        }
        if (token == null) {
            throw new IllegalStateException("the blog set no _xsrf cookie");
        }
        return token;
    }

    /** A cookie's value in the jar, or null. */
    String cookie(String name) {
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    /** Logs in (the form of {@code /auth/login}); returns the answer. */
    HttpResponse<String> login(String email, String password, String next) throws IOException, InterruptedException {
        return post("/auth/login", Map.of("email", email, "password", password, "next", next));
    }

    HttpClient http() {
        return http;
    }

    String base() {
        return base;
    }

    static String form(Map<String, String> fields) {
        StringJoiner j = new StringJoiner("&");
        fields.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }
}
