package io.gale.demos.httpbin;

import io.gale.web.HttpError;
import io.gale.websocket.CompressionOptions;
import io.gale.websocket.WebSocketHandler;
import io.gale.websocket.WebSocketMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code /websocket/echo}, as go-httpbin has it: every text or binary message is sent back
 * unchanged. Query parameters, both integers in {@code [1, MAX_BODY_SIZE]}:
 * <ul>
 * <li>{@code max_fragment_size} (default half of {@link HttpBin#MAX_BODY_SIZE}): the echoes go out
 *     in frames of at most this many payload bytes;</li>
 * <li>{@code max_message_size} (default {@link HttpBin#MAX_BODY_SIZE}): the largest message
 *     accepted; a larger one closes the connection with 1009.</li>
 * </ul>
 * A bad value, or a fragment size above the message size, is answered 400 with
 * {@code {"error": "..."}} instead of the upgrade. permessage-deflate is negotiated when the
 * client offers it (go-httpbin has no compression; Gale's echo does, so clients can test theirs).
 *
 * <p>Threading: as {@link WebSocketHandler}; all state is per connection.
 */
public final class WebSocketEcho extends WebSocketHandler {
    private static final int MAX = (int) HttpBin.MAX_BODY_SIZE;

    private int maxFragmentSize;
    private int maxMessageSize;

    @Override
    protected void prepare() {
        maxFragmentSize = limit("max_fragment_size", MAX / 2);
        maxMessageSize = limit("max_message_size", MAX);
        if (maxFragmentSize > maxMessageSize) {
            throw HttpBinHandler.badRequest("max_fragment_size %d must be less than or equal to max_message_size %d",
                    maxFragmentSize, maxMessageSize);
        }
    }

    private int limit(String name, int def) {
        String v = getQueryArgument(name, null);
        return v == null ? def : HttpBinHandler.intArg(name, v, 1, MAX);
    }

    @Override
    protected void writeError(int statusCode, Throwable error) {
        // The same {"error": ...} answer as httpbin's other endpoints.
        if (statusCode == 400 && error instanceof HttpError he && he.logMessage() != null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", he.logMessage());
            write(body);
            return;
        }
        super.writeError(statusCode, error);
    }

    @Override
    protected boolean checkOrigin(String origin) {
        return true; // a public test service: browsers on any page may use it, as with go-httpbin
    }

    @Override
    protected CompletionStage<?> onMessage(WebSocketMessage message) {
        return writeMessage(message); // the next message is read once this echo is written
    }

    @Override
    protected long maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    protected int maxFragmentSize() {
        return maxFragmentSize;
    }

    @Override
    protected CompressionOptions getCompressionOptions() {
        return CompressionOptions.defaults();
    }
}
