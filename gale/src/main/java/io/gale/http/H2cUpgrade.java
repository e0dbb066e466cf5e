package io.gale.http;

import io.gale.http2.Http2Fields;
import io.gale.internal.http.BodyFraming;
import io.gale.http2.Http2SettingsHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 {@code Upgrade: h2c} request (RFC 7540 section 3.2, dropped by RFC 9113 but still
 * sent by curl {@code --http2} on {@code http:} URLs and some older clients): when a plain-text
 * HTTP/1.1 request may switch its connection to HTTP/2, and what the switch carries. The rule is
 * decided here once; {@link Http1ServerConnection} asks {@link #offered} for every request head
 * on a plain connection of a server with HTTP/2 on, and on a non-null answer writes
 * {@link #switchingProtocols()} and hands the stream to an {@link Http2ServerConnection} that
 * answers the request on stream 1.
 *
 * <p><b>Taken up</b> when all of these hold; otherwise the request is served over HTTP/1.1 as if
 * the {@code Upgrade} field were absent (an upgrade is always the server's option, RFC 9110
 * section 7.8):
 * <ul>
 *   <li>HTTP/1.1, an origin-form target ({@code /...}), not CONNECT;</li>
 *   <li>{@code Upgrade} lists the token {@code h2c}; {@code Connection} lists {@code Upgrade} and
 *       {@code HTTP2-Settings};</li>
 *   <li>exactly one {@code HTTP2-Settings} field, whose value decodes to valid settings
 *       ({@link Http2SettingsHeader}); section 3.2.1 forbids upgrading without one, and a value
 *       that cannot be decoded is treated the same way: served over HTTP/1.1, not answered 400,
 *       because the request itself is well-formed HTTP/1.1 and the RFC makes the upgrade
 *       optional;</li>
 *   <li>no request body ({@code Content-Length: 0} or no framing field). A request with a body is
 *       served over HTTP/1.1, connection and all: an upgrade would have to read the whole body
 *       before the 101 (the client sends HTTP/2 frames only after it), which means holding an
 *       unbounded body in memory or inventing a second body limit; Netty buffers it up to a
 *       limit, nginx does not take up h2c upgrades at all. The client's next request on the
 *       connection may ask again;</li>
 *   <li>the head is one HTTP/2 can carry ({@link Http2Fields#upgradeRequest}).</li>
 * </ul>
 * Not thread-safe; used on the connection's loop.
 */
final class H2cUpgrade {
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(H2cUpgrade.class);
    }

    private static final byte[] SWITCHING_PROTOCOLS =
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);

    final Http2SettingsHeader settings;
    final Http2Fields head;

    private H2cUpgrade(Http2SettingsHeader settings, Http2Fields head) {
        this.settings = settings;
        this.head = head;
    }

    /**
     * Whether a request head asks for an h2c upgrade that this server takes up (see the class
     * comment): the upgrade, or null to serve the request over HTTP/1.1.
     */
    static H2cUpgrade offered(String method, String target, HttpVersion version, HttpHeaders headers,
                              BodyFraming framing, long contentLength) {
        if (!headers.containsValue(HttpHeaderNames.UPGRADE, "h2c", true)) {
            return null;
        }
        String refused = refusal(method, target, version, headers, framing, contentLength);
        if (refused != null) {
            Log.LOG.debug("Upgrade: h2c not taken up ({}): {} {}", refused, method, target);
            return null;
        }
        Http2SettingsHeader settings = Http2SettingsHeader.decode(headers.get("HTTP2-Settings"));
        if (settings.malformed() != null) {
            Log.LOG.debug("Upgrade: h2c not taken up: {}", settings.malformed());
            return null;
        }
        Http2Fields head = Http2Fields.upgradeRequest(method, "http", target, headers);
        if (head.malformed() != null) {
            Log.LOG.debug("Upgrade: h2c not taken up: the head is not valid HTTP/2: {}", head.malformed());
            return null;
        }
        return new H2cUpgrade(settings, head);
    }

    private static String refusal(String method, String target, HttpVersion version, HttpHeaders headers,
                                  BodyFraming framing, long contentLength) {
        if (version != HttpVersion.HTTP_1_1) {
            return "not HTTP/1.1";
        }
        if ("CONNECT".equals(method) || target.isEmpty() || target.charAt(0) != '/') {
            return "CONNECT, or a target not in origin form";
        }
        if (!headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)
                || !headers.containsValue(HttpHeaderNames.CONNECTION, "http2-settings", true)) {
            return "Connection does not list Upgrade and HTTP2-Settings";
        }
        List<String> values = headers.getAll("HTTP2-Settings");
        if (values.size() != 1) {
            return values.size() + " HTTP2-Settings fields";                          // RFC 7540 3.2.1
        }
        if (framing == BodyFraming.CHUNKED || framing == BodyFraming.CONTENT_LENGTH && contentLength > 0) {
            return "a request body";
        }
        return null;
    }

    /** The 101 response that switches the connection (a fresh buffer each call). */
    static ByteBuffer switchingProtocols() {
        return ByteBuffer.wrap(SWITCHING_PROTOCOLS);
    }
}
