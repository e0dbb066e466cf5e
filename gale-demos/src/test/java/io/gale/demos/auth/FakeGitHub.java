package io.gale.demos.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gale.http.HttpUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A GitHub Enterprise Server as far as an OAuth app's login goes, on the JDK's HTTP server (the
 * demo's GitHub preset cannot reach github.com from a test): {@code /login/oauth/authorize} sends
 * the browser straight back with a code (the user "approved"), {@code /login/oauth/access_token}
 * exchanges it for the registered client only, {@code /api/v3/user} answers the octocat for that
 * token only. Anything else is 4xx, as GitHub answers it.
 */
final class FakeGitHub implements AutoCloseable {
    private static final String CODE = "fake-code-1";
    private static final String TOKEN = "gho_fake_token";

    private final HttpServer server;
    private final String clientId;
    private final String clientSecret;
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();

    private FakeGitHub(String clientId, String clientSecret) throws IOException {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.createContext("/login/oauth/authorize", this::authorize);
        server.createContext("/login/oauth/access_token", this::token);
        server.createContext("/api/v3/user", this::user);
        server.start();
    }

    static FakeGitHub start(String clientId, String clientSecret) throws IOException {
        return new FakeGitHub(clientId, clientSecret);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The form bodies the token endpoint received. */
    List<String> tokenRequests() {
        return tokenRequests;
    }

    private void authorize(HttpExchange x) throws IOException {
        Map<String, List<String>> q = HttpUtil.parseQueryString(x.getRequestURI().getRawQuery());
        if (!List.of(clientId).equals(q.get("client_id")) || q.get("redirect_uri") == null || q.get("state") == null) {
            answer(x, 400, "text/plain", "bad authorization request");
            return;
        }
        x.getResponseHeaders().set("Location", q.get("redirect_uri").get(0) + "?code=" + CODE + "&state="
                + HttpUtil.urlEncode(q.get("state").get(0)));
        answer(x, 302, "text/plain", "");
    }

    private void token(HttpExchange x) throws IOException {
        String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        tokenRequests.add(form);
        Map<String, List<String>> f = HttpUtil.parseQueryString(form);
        boolean ok = "POST".equals(x.getRequestMethod()) && List.of(clientId).equals(f.get("client_id"))
                && List.of(clientSecret).equals(f.get("client_secret")) && List.of(CODE).equals(f.get("code"));
        // GitHub answers errors with 200 and an error object
        answer(x, 200, "application/json", ok ? "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"bearer\",\"scope\":\"read:user\"}"
                : "{\"error\":\"bad_verification_code\",\"error_description\":\"The code passed is incorrect or expired.\"}");
    }

    private void user(HttpExchange x) throws IOException {
        if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            answer(x, 401, "application/json", "{\"message\":\"Bad credentials\"}");
            return;
        }
        answer(x, 200, "application/json", "{\"login\":\"octocat\",\"id\":583231,\"name\":\"The Octocat\","
                + "\"avatar_url\":\"https://github.example.com/images/octocat.png\",\"type\":\"User\"}");
    }

    private static void answer(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            x.getResponseBody().write(b);
        }
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
