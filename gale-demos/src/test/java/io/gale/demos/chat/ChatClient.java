package io.gale.demos.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A chat client for the tests, over the JDK's HTTP client (an independent peer): loads the page
 * once for the {@code _xsrf} cookie, then sends it as the cookie and the {@code X-XSRFToken}
 * header with every POST, as the page's script does. Redirects are not followed.
 */
final class ChatClient implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final String baseUrl;
    private final String xsrf;

    private ChatClient(String baseUrl, String xsrf) {
        this.baseUrl = baseUrl;
        this.xsrf = xsrf;
    }

    /** Loads {@code baseUrl/} and keeps its {@code _xsrf} cookie. */
    static ChatClient open(String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (page.statusCode() != 200) {
            throw new IllegalStateException("GET / answered " + page.statusCode());
        }
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("_xsrf="))
                .findFirst().orElseThrow(() -> new IllegalStateException("no _xsrf cookie in " + page.headers()));
        return new ChatClient(baseUrl, cookie.substring("_xsrf=".length(), cookie.indexOf(';')));
    }

    /** A client for {@code baseUrl} with an {@code _xsrf} cookie another page (another server) set. */
    static ChatClient withCookie(String baseUrl, String xsrf) {
        return new ChatClient(baseUrl, xsrf);
    }

    /** The cookie's token. */
    String xsrf() {
        return xsrf;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code fields} urlencoded, with the XSRF cookie and header. */
    HttpResponse<String> post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        return http.send(request(path, fields, true), HttpResponse.BodyHandlers.ofString());
    }

    /** As {@link #post}, without waiting for the answer (a long poll). */
    CompletableFuture<HttpResponse<String>> postAsync(String path, Map<String, String> fields) {
        return http.sendAsync(request(path, fields, true), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code fields} with the cookie but without the header (add {@code _xsrf} to the fields or not). */
    HttpResponse<String> postWithoutHeader(String path, Map<String, String> fields) throws IOException, InterruptedException {
        return http.send(request(path, fields, false), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, Map<String, String> fields, boolean header) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "_xsrf=" + xsrf)
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        if (header) {
            b.header("X-XSRFToken", xsrf);
        }
        return b.build();
    }

    static String form(Map<String, String> fields) {
        return new LinkedHashMap<>(fields).entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}
