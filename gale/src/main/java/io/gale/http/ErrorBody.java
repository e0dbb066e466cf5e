package io.gale.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The body of an error response the HTTP connection sends by itself (a malformed request, a head
 * too large, a delegate that failed), as {@link HttpServerConnectionDelegate#errorBody} chooses
 * it: the web framework's {@code Application} answers JSON there when its {@code jsonErrors}
 * setting is on.
 *
 * @param contentType the {@code Content-Type} value
 * @param body the bytes
 */
public record ErrorBody(String contentType, byte[] body) {
    /**
     * Creates an {@code ErrorBody}; its components are described in the class comment.
     */
    public ErrorBody {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /**
     * The connection's default: {@code 400 Bad Request\n} as text/plain.
     *
     * @param status the status code
     * @param reason the reason phrase
     * @return the connection's default: {@code 400 Bad Request\n} as text/plain
     */
    public static ErrorBody plainText(int status, String reason) {
        return new ErrorBody("text/plain; charset=UTF-8",
                (status + " " + (reason == null ? "" : reason) + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }
}
