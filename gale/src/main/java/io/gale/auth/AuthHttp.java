package io.gale.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.concurrent.Futures;
import io.gale.http.HttpUtil;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpClientException;
import io.gale.httpclient.HttpRequest;
import io.gale.httpclient.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Every call the login clients make to a provider, through Gale's {@link AsyncHttpClient}, and the
 * one place that turns what comes back into values or {@link OAuth2Exception}s: no response
 * (refused, timed out, too large) or a 5xx is {@code PROVIDER_UNAVAILABLE}; an OAuth 2 error
 * object is {@code PROVIDER_ERROR}; anything else unexpected is {@code INVALID_RESPONSE}.
 *
 * <p>Requests follow no redirects (a token endpoint that redirects a POST, or a JWKS that moves,
 * is a misconfiguration to see, not to follow), send {@code Accept: application/json} (GitHub
 * answers its token endpoint in form encoding otherwise), and are bounded by
 * {@link AuthLimits#requestTimeout()} and {@link AuthLimits#maxResponseBytes()}.
 *
 * <p>The client is the configured one, else {@link AsyncHttpClient#current()}: the calling
 * loop's shared client (a handler's loop, also on its virtual threads). Futures complete on that
 * client's loop. Thread-safe.
 */
final class AuthHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AsyncHttpClient configured;
    private final AuthLimits limits;

    AuthHttp(AsyncHttpClient configured, AuthLimits limits) {
        this.configured = configured;
        this.limits = limits;
    }

    AuthLimits limits() {
        return limits;
    }

    /** GET {@code url} (with a bearer token, if given) and its JSON object. */
    CompletableFuture<JsonNode> getJson(String url, String bearerToken, Map<String, String> headers, String what) {
        HttpRequest.Builder b;
        try {
            b = request(url, what);
        } catch (OAuth2Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        if (bearerToken != null) {
            b.header("Authorization", "Bearer " + bearerToken);
        }
        headers.forEach(b::header);
        if (headers.keySet().stream().noneMatch("Accept"::equalsIgnoreCase)) {
            b.header("Accept", "application/json");
        }
        return send(b, what).thenApply(r -> {
            JsonNode json = jsonObject(r);
            if (r.code() >= 200 && r.code() < 300) {
                if (json == null) {
                    throw new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, what + " is not a JSON object");
                }
                return json;
            }
            throw failure(r, json, what);
        });
    }

    /**
     * POSTs {@code form} to a token endpoint, authenticated as {@code registration} says, and
     * returns its answer (RFC 6749 5.1/5.2). An {@code error} field is an error whatever the
     * status (GitHub answers errors with 200).
     */
    CompletableFuture<TokenResponse> token(String tokenUrl, ClientRegistration registration, ClientAuthMethod method,
            Map<String, String> form, String what) {
        Map<String, String> body = new LinkedHashMap<>(form);
        HttpRequest.Builder b;
        try {
            b = request(tokenUrl, what).method("POST").header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json");
        } catch (OAuth2Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        switch (method) {
            case CLIENT_SECRET_BASIC -> b.header("Authorization", basic(registration.clientId(), registration.clientSecret()));
            case CLIENT_SECRET_POST -> {
                body.put("client_id", registration.clientId());
                body.put("client_secret", registration.clientSecret());
            }
            case NONE -> body.put("client_id", registration.clientId());
        }
        b.body(HttpUtil.encodeQueryString(body));
        return send(b, what).thenApply(r -> {
            JsonNode json = jsonObject(r);
            if (json != null && json.hasNonNull("error")) {
                throw failure(r, json, what);
            }
            if (r.code() >= 200 && r.code() < 300) {
                if (json == null) {
                    throw new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, what + " is not a JSON object");
                }
                return TokenResponse.parse(json, what);
            }
            throw failure(r, json, what);
        });
    }

    /** RFC 6749 2.3.1: id and secret are form-urlencoded, then joined and base64-encoded. */
    static String basic(String id, String secret) {
        String pair = HttpUtil.urlEncode(id, true) + ":" + HttpUtil.urlEncode(secret, true);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String url, String what) {
        try {
            return HttpRequest.newBuilder(url).followRedirects(false).raiseError(false)
                    .connectTimeout(limits.requestTimeout()).requestTimeout(limits.requestTimeout())
                    .maxBodySize(limits.maxResponseBytes());
        } catch (IllegalArgumentException e) {
            throw new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, what + " has an unusable URL: " + url, e);
        }
    }

    private CompletableFuture<HttpResponse> send(HttpRequest.Builder b, String what) {
        AsyncHttpClient client = configured != null ? configured : AsyncHttpClient.current();
        return client.fetch(b.build()).exceptionallyCompose(e -> {
            Throwable cause = Futures.unwrap(e);
            String detail = cause instanceof HttpClientException h && h.getCause() != null
                    ? String.valueOf(h.getCause()) : String.valueOf(cause);
            return CompletableFuture.failedFuture(new OAuth2Exception(OAuth2Exception.Kind.PROVIDER_UNAVAILABLE,
                    what + " could not be fetched: " + detail, cause));
        });
    }

    private static OAuth2Exception failure(HttpResponse r, JsonNode json, String what) {
        String error = json != null && json.path("error").isTextual() ? json.get("error").asText() : null;
        String description = json != null && json.path("error_description").isTextual()
                ? json.get("error_description").asText() : null;
        if (r.code() >= 500) {
            return new OAuth2Exception(OAuth2Exception.Kind.PROVIDER_UNAVAILABLE, error,
                    what + " answered " + r.code() + (description == null ? "" : ": " + description), null);
        }
        if (error != null) {
            return new OAuth2Exception(OAuth2Exception.Kind.PROVIDER_ERROR, error,
                    what + " answered " + r.code() + (description == null ? "" : ": " + description), null);
        }
        return new OAuth2Exception(OAuth2Exception.Kind.PROVIDER_ERROR, "http_" + r.code(),
                what + " answered " + r.code() + " " + r.reason(), null);
    }

    /** The body as a JSON object, or null when it is not one. */
    private static JsonNode jsonObject(HttpResponse r) {
        if (r.body().length == 0) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(r.body());
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A JSON object as a map (JSON null values kept as null). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonNode json) {
        return JSON.convertValue(json, LinkedHashMap.class);
    }

    /** A JSON text from a map. */
    static byte[] toJson(Map<String, ?> map) {
        try {
            return JSON.writeValueAsBytes(map);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON object in {@code bytes}, or null. */
    static JsonNode parseObject(byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }
}
