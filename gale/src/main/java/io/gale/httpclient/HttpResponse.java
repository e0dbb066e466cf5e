package io.gale.httpclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.http.HeaderValue;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpUtil;
import io.gale.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A received response (Tornado's {@code HTTPResponse}). Immutable apart from the body array, which
 * is shared with the caller: do not modify it.
 *
 * <pre>{@code
 * HttpResponse r = await(client.fetch("http://127.0.0.1:8888/json"));
 * String name = r.json().get("name").asText();
 * }</pre>
 */
public final class HttpResponse {
    /** Created on first use: Jackson's initialisation costs tens of milliseconds, on the loop thread otherwise. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final byte[] EMPTY = new byte[0];

    private final HttpRequest request;
    private final int code;
    private final String reason;
    private final HttpHeaders headers;
    private final byte[] body;
    private final String effectiveUrl;
    private final HttpTiming timing;
    private final HttpVersion version;

    HttpResponse(HttpRequest request, int code, String reason, HttpHeaders headers, byte[] body, String effectiveUrl,
                 HttpTiming timing, HttpVersion version) {
        this.request = request;
        this.code = code;
        this.reason = reason;
        this.headers = headers;
        this.body = body == null ? EMPTY : body;
        this.effectiveUrl = effectiveUrl;
        this.timing = timing;
        this.version = version;
    }

    /**
     * The protocol the response came over: {@link HttpVersion#HTTP_2} when ALPN chose {@code h2}
     * or the request asked for h2c with prior knowledge, else the HTTP/1.x version of its status
     * line. Over HTTP/2 the {@link #reason()} is the standard phrase of the code (HTTP/2 sends none).
     *
     * @return the protocol the response came over: {@link HttpVersion#HTTP_2} when ALPN chose {@code h2} or the request asked for h2c with prior knowledge, else the HTTP/1.x version of its status line
     */
    public HttpVersion version() {
        return version;
    }

    /**
     * The request as the caller passed it (before redirects).
     *
     * @return the request as the caller passed it (before redirects)
     */
    public HttpRequest request() {
        return request;
    }

    /**
     * The status code.
     *
     * @return the status code
     */
    public int code() {
        return code;
    }

    /**
     * The reason phrase.
     *
     * @return the reason phrase
     */
    public String reason() {
        return reason;
    }

    /**
     * The header fields. After transparent decompression {@code Content-Encoding} is renamed
     * {@code X-Consumed-Content-Encoding} (as Tornado), since the body is no longer encoded.
     *
     * @return the header fields
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * The body (empty with a streaming callback, or for HEAD, 204 and 304).
     *
     * @return the body (empty with a streaming callback, or for HEAD, 204 and 304)
     */
    public byte[] body() {
        return body;
    }

    /**
     * The body decoded with the charset of {@code Content-Type}, else UTF-8.
     *
     * @return the body decoded with the charset of {@code Content-Type}, else UTF-8
     */
    public String text() {
        return new String(body, charset());
    }

    /**
     * The body parsed as JSON.
     *
     * @return the body parsed as JSON
     */
    public JsonNode json() {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("response body is not JSON", e);
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
            return Json.MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("response body is not JSON for " + type.getName(), e);
        }
    }

    /**
     * The URL that produced this response, after redirects.
     *
     * @return the URL that produced this response, after redirects
     */
    public String effectiveUrl() {
        return effectiveUrl;
    }

    /**
     * Total time of the last hop (see {@link #timing()}).
     *
     * @return the request time
     */
    public Duration requestTime() {
        return timing.total();
    }

    /**
     * The timing.
     *
     * @return the timing
     */
    public HttpTiming timing() {
        return timing;
    }

    /**
     * An {@link HttpClientException} for a non-2xx code, else null.
     *
     * @return an {@link HttpClientException} for a non-2xx code, else null
     */
    public HttpClientException error() {
        return code >= 200 && code < 300 ? null : new HttpClientException(this);
    }

    /** Throws {@link #error()} if there is one. */
    public void rethrow() {
        HttpClientException e = error();
        if (e != null) {
            throw e;
        }
    }

    Charset charset() {
        String ct = headers.get("Content-Type");
        if (ct != null) {
            HeaderValue v = HttpUtil.parseContentType(ct);
            String cs = v.param("charset");
            if (cs != null) {
                try {
                    return Charset.forName(cs);
                } catch (IllegalArgumentException e) {
                    // unknown charset: fall back below rather than fail the caller
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public String toString() {
        return "HttpResponse[" + version + " " + code + " " + reason + ", " + effectiveUrl + ", " + body.length
                + " bytes]";
    }
}
