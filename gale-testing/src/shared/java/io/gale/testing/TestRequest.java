package io.gale.testing;

import io.gale.escape.Escape;
import io.gale.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request for {@link InMemoryClient}: method, URI (path and query), headers and a body that may
 * arrive in several pieces (each piece is handed to the application separately, as reads from a
 * socket would be).
 *
 * <pre>{@code
 * TestRequest.get("/todos?done=1").header("Accept", "application/json");
 * TestRequest.post("/login", "user=ann&password=x");            // a urlencoded form
 * TestRequest.of("PUT", "/todos/3").json(Map.of("title", "milk")); // a JSON body
 * TestRequest.of("POST", "/upload").body("part one").body("part two").chunked();
 * }</pre>
 *
 * <p>Unless set, {@code Host: localhost:8888} and (for a body that is not {@link #chunked()})
 * {@code Content-Length} are added when the request is sent. Not thread-safe: build it on one
 * thread, then send it.
 */
public final class TestRequest {
    final String method;
    final String uri;
    final HttpHeaders headers = new HttpHeaders();
    final List<byte[]> bodyPieces = new ArrayList<>();
    boolean chunked;
    String remoteIp = "127.0.0.1";

    private TestRequest(String method, String uri) {
        this.method = Objects.requireNonNull(method, "method");
        this.uri = Objects.requireNonNull(uri, "uri");
    }

    /**
     * A request with any method.
     *
     * @param method the HTTP method
     * @param uri the URI
     * @return a request with any method
     */
    public static TestRequest of(String method, String uri) {
        return new TestRequest(method, uri);
    }

    /**
     * A GET request.
     *
     * @param uri the URI
     * @return a GET request
     */
    public static TestRequest get(String uri) {
        return new TestRequest("GET", uri);
    }

    /**
     * A POST of a urlencoded form ({@code a=1&b=2}).
     *
     * @param uri the URI
     * @param form the form
     * @return a POST of a urlencoded form ({@code a=1&b=2})
     */
    public static TestRequest post(String uri, String form) {
        return new TestRequest("POST", uri).header("Content-Type", "application/x-www-form-urlencoded").body(form);
    }

    /**
     * Adds a header (a second value of the same name is kept beside the first).
     *
     * @param name the name
     * @param value the value
     * @return this test request
     */
    public TestRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /**
     * Appends a body piece: UTF-8 text.
     *
     * @param piece the piece
     * @return this test request
     */
    public TestRequest body(String piece) {
        return body(piece.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Appends a body piece (copied).
     *
     * @param piece the piece
     * @return this test request
     */
    public TestRequest body(byte[] piece) {
        bodyPieces.add(piece.clone());
        return this;
    }

    /**
     * Sets the body to {@code value} as JSON (Jackson, as the handler's {@code write(Object)}
     * encodes) and {@code Content-Type: application/json} unless a type was set.
     *
     * @param value the value
     * @return this test request
     */
    public TestRequest json(Object value) {
        if (!headers.contains("Content-Type")) {
            header("Content-Type", "application/json");
        }
        bodyPieces.clear();
        return body(Escape.jsonEncodeUtf8(value));
    }

    /**
     * Sends the body pieces without {@code Content-Length}, as a chunked request arrives.
     *
     * @return this test request
     */
    public TestRequest chunked() {
        chunked = true;
        return this;
    }

    /**
     * The client address the application sees (default 127.0.0.1).
     *
     * @param ip the IP address
     * @return this test request
     */
    public TestRequest remoteIp(String ip) {
        remoteIp = Objects.requireNonNull(ip, "ip");
        return this;
    }

    /**
     * The HTTP method.
     *
     * @return the HTTP method
     */
    public String method() {
        return method;
    }

    /**
     * The URI.
     *
     * @return the URI
     */
    public String uri() {
        return uri;
    }

    int bodyLength() {
        int n = 0;
        for (byte[] b : bodyPieces) {
            n += b.length;
        }
        return n;
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }
}
