package io.gale.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.http.HttpHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A response as {@link InMemoryClient} received it, with the same accessors as the socket
 * client's {@link io.gale.httpclient.HttpResponse} ({@code code}, {@code reason},
 * {@code headers}, {@code body}, {@code text}, {@code json}) and two an in-memory client can
 * add: the body {@code pieces} as the application handed them over (one per flush), and the
 * {@code violations} of the connection contract it saw (writes off the loop, more or fewer bytes
 * than {@code Content-Length}, a body on HEAD/204/304): assert that they are empty.
 *
 * @param code the status code
 * @param reason the reason phrase
 * @param headers the response headers
 * @param body the body (empty for HEAD, 1xx, 204 and 304, as a real connection drops it)
 * @param pieces the body as written, piece by piece
 * @param violations connection-contract violations, empty when the application behaved
 */
public record TestResponse(int code, String reason, HttpHeaders headers, byte[] body, List<byte[]> pieces,
        List<String> violations) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The body as UTF-8 text.
     *
     * @return the body as UTF-8 text
     */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The first value of a header, or null.
     *
     * @param name the name
     * @return the first value of a header, or null
     */
    public String header(String name) {
        return headers.get(name);
    }

    /**
     * The body parsed as JSON.
     *
     * @return the body parsed as JSON
     */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("response body is not JSON: " + text(), e);
        }
    }

    /**
     * The body bound to {@code type} by Jackson.
     *
     * @param <T> the type of the values
     * @param type the type
     * @return the body bound to {@code type} by Jackson
     */
    public <T> T json(Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("response body is not JSON for " + type.getName() + ": " + text(), e);
        }
    }

    @Override
    public String toString() {
        return "TestResponse[" + code + " " + reason + ", " + body.length + " bytes]";
    }
}
