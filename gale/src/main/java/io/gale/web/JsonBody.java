package io.gale.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reads a request body as JSON for {@link RequestHandler#getJsonBody(Class)}: Jackson binding to a
 * record, a bean or a {@link JsonNode}; a body that is empty, not JSON, has text after the value,
 * or does not fit the type becomes a 400 whose {@link HttpError#detail() detail} (shown to the
 * client, escaped in the HTML page) is Jackson's reason and where: {@code Invalid JSON body:
 * Unexpected character ('}' (code 125)) ... at line 1, column 12}. Unknown properties are refused,
 * as Jackson does by default: a misspelt field is a client error, not a silent null.
 *
 * <p>Thread-safe (one shared, configured-once mapper).
 */
final class JsonBody {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBody() {
    }

    static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw HttpError.withDetail(400, "Invalid JSON body: the body is empty");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw HttpError.withDetail(400, "Invalid JSON body: null where " + type.getSimpleName() + " is expected");
            }
            return value;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw HttpError.withDetail(400, "Invalid JSON body: " + e.getOriginalMessage() + where);
        } catch (IOException e) {
            throw HttpError.withDetail(400, "Invalid JSON body: " + e.getMessage());
        }
    }
}
