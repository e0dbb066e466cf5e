package io.gale.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gale.http.HttpUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A tiny OpenID provider (and GitHub look-alike) of the tests' own, on the JDK's HttpServer, for
 * the answers a real provider never gives: ID tokens signed with a key not in its JWKS, with a
 * made-up key id, with {@code alg=none} or HMAC, with claims bent per test; a userinfo about
 * someone else; errors with status 200 (as GitHub); a rotated key. It records what clients send
 * (token requests: headers and form) and counts fetches of the discovery document and JWKS.
 *
 * <p>Authorization is automatic: {@code /authorize} redirects back at once with a fresh code,
 * remembering nonce and PKCE challenge; codes are single use and checked against the verifier,
 * as a real provider does. Tests change its behaviour through the public fields before a login.
 */
final class FakeProvider implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** What one authorization request asked for. */
    record Grant(String clientId, String redirectUri, String nonce, String challenge, String scope) {
    }

    /** One request to the token endpoint. */
    record TokenCall(String authorization, Map<String, List<String>> form) {
    }

    final HttpServer server;
    final String issuer;
    final String clientId;
    final AtomicInteger discoveryFetches = new AtomicInteger();
    final AtomicInteger jwksFetches = new AtomicInteger();
    final List<TokenCall> tokenCalls = new CopyOnWriteArrayList<>();
    final Map<String, Grant> codes = new ConcurrentHashMap<>();

    /** The key published in the JWKS (and used to sign, unless {@link #signingKey} says otherwise). */
    private static final RSAKey FIRST_KEY = newKey("k1");
    volatile RSAKey publishedKey = FIRST_KEY;
    /** The key ID tokens are signed with. */
    volatile RSAKey signingKey = FIRST_KEY;
    /** Bends the ID token's claims after the standard ones are set. */
    volatile Consumer<JWTClaimsSet.Builder> claims = c -> { };
    /** Replaces the whole ID token (given the grant), e.g. with alg=none; null: a normal one. */
    volatile Function<Grant, String> rawIdToken;
    /** The subject of ID tokens and userinfo. */
    volatile String subject = "user-42";
    /** The userinfo's sub, when it should disagree. */
    volatile String userinfoSubject;
    /** Extra fields of the discovery document (null removes one). */
    final Map<String, Object> discoveryOverrides = new ConcurrentHashMap<>();
    /** Issue-time of tokens; null: now. */
    volatile Instant now;

    FakeProvider(String clientId) throws IOException {
        this.clientId = clientId;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", ex -> handle(ex, this::discovery));
        server.createContext("/jwks", ex -> handle(ex, this::jwks));
        server.createContext("/authorize", ex -> handle(ex, this::authorize));
        server.createContext("/login/oauth/authorize", ex -> handle(ex, this::authorize));
        server.createContext("/token", ex -> handle(ex, this::token));
        server.createContext("/login/oauth/access_token", ex -> handle(ex, this::githubToken));
        server.createContext("/userinfo", ex -> handle(ex, this::userinfo));
        server.createContext("/api/v3/user", ex -> handle(ex, this::githubUser));
        server.start();
    }

    /** Back to the defaults (a test's changes must not leak into the next). */
    void reset() {
        publishedKey = FIRST_KEY;
        signingKey = FIRST_KEY;
        claims = c -> { };
        rawIdToken = null;
        subject = "user-42";
        userinfoSubject = null;
        discoveryOverrides.clear();
        now = null;
        tokenCalls.clear();
        discoveryFetches.set(0);
        jwksFetches.set(0);
    }

    static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    // ------------------------------------------------------------------------------ endpoints

    private interface Endpoint {
        void serve(HttpExchange ex) throws Exception;
    }

    private static void handle(HttpExchange ex, Endpoint endpoint) throws IOException {
        try (ex) {
            endpoint.serve(ex);
        } catch (Exception e) {
            e.printStackTrace();
            send(ex, 500, Map.of("error", "server_error"));
        }
    }

    private void discovery(HttpExchange ex) throws IOException {
        discoveryFetches.incrementAndGet();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("authorization_endpoint", issuer + "/authorize");
        doc.put("token_endpoint", issuer + "/token");
        doc.put("userinfo_endpoint", issuer + "/userinfo");
        doc.put("jwks_uri", issuer + "/jwks");
        doc.put("response_types_supported", List.of("code"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256", "HS256", "none"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        discoveryOverrides.forEach((k, v) -> {
            if (v == NONE) {
                doc.remove(k);
            } else {
                doc.put(k, v);
            }
        });
        send(ex, 200, doc);
    }

    /** A discovery override that removes the field. */
    static final Object NONE = new Object();

    private void jwks(HttpExchange ex) throws IOException {
        jwksFetches.incrementAndGet();
        send(ex, 200, new JWKSet(publishedKey).toPublicJWKSet().toJSONObject());
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, List<String>> q = HttpUtil.parseQueryString(ex.getRequestURI().getRawQuery());
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(first(q, "client_id"), first(q, "redirect_uri"), first(q, "nonce"),
                first(q, "code_challenge"), first(q, "scope")));
        Map<String, String> back = new LinkedHashMap<>();
        back.put("code", code);
        back.put("state", first(q, "state"));
        ex.getResponseHeaders().set("Location", HttpUtil.urlConcat(first(q, "redirect_uri"), back));
        ex.sendResponseHeaders(302, -1);
    }

    private Grant redeem(HttpExchange ex, Map<String, List<String>> form) throws IOException {
        tokenCalls.add(new TokenCall(ex.getRequestHeaders().getFirst("Authorization"), form));
        Grant grant = codes.remove(String.valueOf(first(form, "code")));
        if (grant == null) {
            return null;
        }
        String verifier = first(form, "code_verifier");
        if (verifier == null || !LoginFlow.codeChallenge(verifier).equals(grant.challenge())) {
            return null;
        }
        return grant;
    }

    private void token(HttpExchange ex) throws Exception {
        Map<String, List<String>> form = HttpUtil.parseQueryString(new String(ex.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8));
        if ("refresh_token".equals(first(form, "grant_type"))) {
            tokenCalls.add(new TokenCall(ex.getRequestHeaders().getFirst("Authorization"), form));
            send(ex, 200, Map.of("access_token", "at-refreshed", "token_type", "Bearer", "expires_in", 3600));
            return;
        }
        Grant grant = redeem(ex, form);
        if (grant == null) {
            send(ex, 400, Map.of("error", "invalid_grant", "error_description", "unknown, used or unverified code"));
            return;
        }
        String idToken = rawIdToken != null ? rawIdToken.apply(grant) : idToken(grant);
        send(ex, 200, Map.of("access_token", "at-" + subject, "token_type", "Bearer", "expires_in", 3600,
                "refresh_token", "rt-" + subject, "id_token", idToken));
    }

    /** A normal ID token for {@code grant}, bent by {@link #claims}, signed with {@link #signingKey}. */
    String idToken(Grant grant) throws JOSEException {
        Instant t = now != null ? now : Instant.now();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(grant.clientId())
                .issueTime(Date.from(t)).expirationTime(Date.from(t.plusSeconds(3600)));
        if (grant.nonce() != null) {
            c.claim("nonce", grant.nonce());
        }
        claims.accept(c);
        RSAKey key = signingKey;
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), c.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private void userinfo(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer at-")) {
            send(ex, 401, Map.of("error", "invalid_token"));
            return;
        }
        send(ex, 200, Map.of("sub", userinfoSubject != null ? userinfoSubject : subject, "email", "ann@example.com",
                "name", "Ann"));
    }

    private void githubToken(HttpExchange ex) throws IOException {
        Map<String, List<String>> form = HttpUtil.parseQueryString(new String(ex.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8));
        Grant grant = redeem(ex, form);
        if (grant == null || !"gh-secret".equals(first(form, "client_secret"))) {
            // GitHub answers its errors with 200
            send(ex, 200, Map.of("error", "bad_verification_code", "error_description", "The code passed is incorrect or expired."));
            return;
        }
        send(ex, 200, Map.of("access_token", "gho_" + subject, "token_type", "bearer", "scope", "read:user"));
    }

    private void githubUser(HttpExchange ex) throws IOException {
        if (!("Bearer gho_" + subject).equals(ex.getRequestHeaders().getFirst("Authorization"))
                || !"2022-11-28".equals(ex.getRequestHeaders().getFirst("X-GitHub-Api-Version"))) {
            send(ex, 401, Map.of("message", "Bad credentials"));
            return;
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("login", "octo-ann");
        user.put("id", 583231);
        user.put("name", "Ann Octo");
        user.put("email", null);
        send(ex, 200, user);
    }

    private static String first(Map<String, List<String>> m, String name) {
        List<String> v = m.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** The token calls so far, for assertions. */
    List<TokenCall> tokenCalls() {
        return new ArrayList<>(tokenCalls);
    }
}
