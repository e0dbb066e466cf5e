package io.gale.httpclient;

import io.gale.http.HttpHeaders;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * One HTTP request and how to fetch it (Tornado's {@code HTTPRequest}). Immutable; build with
 * {@link #newBuilder(String)}:
 *
 * <pre>{@code
 * HttpRequest req = HttpRequest.newBuilder("https://example.com/api")
 *         .method("POST").header("Content-Type", "application/json").body("{\"a\":1}")
 *         .requestTimeout(Duration.ofSeconds(5))
 *         .build();
 * client.fetch(req).thenAccept(resp -> System.out.println(resp.json()));
 * }</pre>
 *
 * <p>Defaults follow Tornado: connect and request timeouts 20 s, redirects followed (at most 5),
 * gzip responses decompressed, certificates validated, {@code raiseError} true. The request
 * timeout covers one hop: queueing, connecting, sending and receiving; a request queued longer than
 * {@code min(connectTimeout, requestTimeout)} fails with "Timeout in request queue".
 */
public final class HttpRequest {
    final URI uri;
    final String url;
    final String method;
    final HttpHeaders headers;
    final byte[] body;
    final BodyProducer bodyProducer;
    final String authUsername;
    final String authPassword;
    final boolean digestAuth;
    final Duration connectTimeout;
    final Duration requestTimeout;
    final boolean followRedirects;
    final int maxRedirects;
    final String userAgent;
    final boolean decompressResponse;
    final InetAddress networkInterface;
    final Consumer<ByteBuffer> streamingCallback;
    final HeaderCallback headerCallback;
    final String proxyHost;
    final int proxyPort;
    final String proxyUsername;
    final String proxyPassword;
    final boolean allowNonstandardMethods;
    final boolean validateCert;
    final SSLContext sslContext;
    final boolean expect100Continue;
    final long maxBodySize;
    final boolean allowIpv6;
    final boolean raiseError;
    final boolean http2PriorKnowledge;

    private HttpRequest(Builder b) {
        this.uri = b.uri;
        this.url = b.uri.toString();
        this.method = b.method;
        this.headers = b.headers.copy();
        this.body = b.body;
        this.bodyProducer = b.bodyProducer;
        this.authUsername = b.authUsername;
        this.authPassword = b.authPassword;
        this.digestAuth = b.digestAuth;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.followRedirects = b.followRedirects;
        this.maxRedirects = b.maxRedirects;
        this.userAgent = b.userAgent;
        this.decompressResponse = b.decompressResponse;
        this.networkInterface = b.networkInterface;
        this.streamingCallback = b.streamingCallback;
        this.headerCallback = b.headerCallback;
        this.proxyHost = b.proxyHost;
        this.proxyPort = b.proxyPort;
        this.proxyUsername = b.proxyUsername;
        this.proxyPassword = b.proxyPassword;
        this.allowNonstandardMethods = b.allowNonstandardMethods;
        this.validateCert = b.validateCert;
        this.sslContext = b.sslContext;
        this.expect100Continue = b.expect100Continue;
        this.maxBodySize = b.maxBodySize;
        this.allowIpv6 = b.allowIpv6;
        this.raiseError = b.raiseError;
        this.http2PriorKnowledge = b.http2PriorKnowledge;
    }

    /**
     * A builder for a GET of {@code url} (http or https; userinfo becomes basic auth).
     *
     * @param url the URL
     * @return a new builder
     */
    public static Builder newBuilder(String url) {
        return new Builder(url);
    }

    /**
     * A GET of {@code url} with all defaults.
     *
     * @param url the URL
     * @return a GET of {@code url} with all defaults
     */
    public static HttpRequest get(String url) {
        return new Builder(url).build();
    }

    /**
     * A builder holding this request's settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The {@code url} setting (see {@link Builder#url}).
     *
     * @return the {@code url} setting (see {@link Builder#url})
     */
    public String url() {
        return url;
    }

    /**
     * The URI.
     *
     * @return the URI
     */
    public URI uri() {
        return uri;
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
     * A copy of the header fields set by the caller (the client adds Host, User-Agent and others).
     *
     * @return a copy of the header fields set by the caller (the client adds Host, User-Agent and others)
     */
    public HttpHeaders headers() {
        return headers.copy();
    }

    /**
     * The body, or null; the array is shared: do not modify it.
     *
     * @return the body, or null; the array is shared: do not modify it
     */
    public byte[] body() {
        return body;
    }

    /**
     * The {@code bodyProducer} setting (see {@link Builder#bodyProducer}).
     *
     * @return the {@code bodyProducer} setting (see {@link Builder#bodyProducer})
     */
    public BodyProducer bodyProducer() {
        return bodyProducer;
    }

    /**
     * The {@code connectTimeout} setting (see {@link Builder#connectTimeout}).
     *
     * @return the {@code connectTimeout} setting (see {@link Builder#connectTimeout})
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The {@code requestTimeout} setting (see {@link Builder#requestTimeout}).
     *
     * @return the {@code requestTimeout} setting (see {@link Builder#requestTimeout})
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * The {@code followRedirects} setting (see {@link Builder#followRedirects}).
     *
     * @return the {@code followRedirects} setting (see {@link Builder#followRedirects})
     */
    public boolean followRedirects() {
        return followRedirects;
    }

    /**
     * The {@code maxRedirects} setting (see {@link Builder#maxRedirects}).
     *
     * @return the {@code maxRedirects} setting (see {@link Builder#maxRedirects})
     */
    public int maxRedirects() {
        return maxRedirects;
    }

    /**
     * The {@code raiseError} setting (see {@link Builder#raiseError}).
     *
     * @return the {@code raiseError} setting (see {@link Builder#raiseError})
     */
    public boolean raiseError() {
        return raiseError;
    }

    @Override
    public String toString() {
        return method + " " + url;
    }

    /** Builds {@link HttpRequest}s; not thread-safe. Setters return this. */
    public static final class Builder {
        private URI uri;
        private String method = "GET";
        private HttpHeaders headers = new HttpHeaders();
        private byte[] body;
        private BodyProducer bodyProducer;
        private String authUsername;
        private String authPassword;
        private boolean digestAuth;
        private Duration connectTimeout = Duration.ofSeconds(20);
        private Duration requestTimeout = Duration.ofSeconds(20);
        private boolean followRedirects = true;
        private int maxRedirects = 5;
        private String userAgent;
        private boolean decompressResponse = true;
        private InetAddress networkInterface;
        private Consumer<ByteBuffer> streamingCallback;
        private HeaderCallback headerCallback;
        private String proxyHost;
        private int proxyPort;
        private String proxyUsername;
        private String proxyPassword;
        private boolean allowNonstandardMethods;
        private boolean validateCert = true;
        private SSLContext sslContext;
        private boolean expect100Continue;
        private long maxBodySize = -1;
        private boolean allowIpv6 = true;
        private boolean raiseError = true;
        private boolean http2PriorKnowledge;

        private Builder(String url) {
            url(url);
        }

        private Builder(HttpRequest r) {
            uri = r.uri;
            method = r.method;
            headers = r.headers.copy();
            body = r.body;
            bodyProducer = r.bodyProducer;
            authUsername = r.authUsername;
            authPassword = r.authPassword;
            digestAuth = r.digestAuth;
            connectTimeout = r.connectTimeout;
            requestTimeout = r.requestTimeout;
            followRedirects = r.followRedirects;
            maxRedirects = r.maxRedirects;
            userAgent = r.userAgent;
            decompressResponse = r.decompressResponse;
            networkInterface = r.networkInterface;
            streamingCallback = r.streamingCallback;
            headerCallback = r.headerCallback;
            proxyHost = r.proxyHost;
            proxyPort = r.proxyPort;
            proxyUsername = r.proxyUsername;
            proxyPassword = r.proxyPassword;
            allowNonstandardMethods = r.allowNonstandardMethods;
            validateCert = r.validateCert;
            sslContext = r.sslContext;
            expect100Continue = r.expect100Continue;
            maxBodySize = r.maxBodySize;
            allowIpv6 = r.allowIpv6;
            raiseError = r.raiseError;
            http2PriorKnowledge = r.http2PriorKnowledge;
        }

        /**
         * The absolute http or https URL.
         *
         * @param url the URL
         * @return this builder
         * @throws IllegalArgumentException if it is not a valid absolute http(s) URL with a host
         */
        public Builder url(String url) {
            URI u = URI.create(Objects.requireNonNull(url, "url"));
            String scheme = u.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                throw new IllegalArgumentException("only http and https URLs are supported: " + url);
            }
            if (u.getHost() == null) {
                throw new IllegalArgumentException("URL without a host: " + url);
            }
            this.uri = u;
            return this;
        }

        /**
         * The method (default GET); see {@link #allowNonstandardMethods}.
         *
         * @param method the method
         * @return this builder
         */
        public Builder method(String method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * Replaces all header fields with a copy of {@code headers}.
         *
         * @param headers the headers
         * @return this builder
         */
        public Builder headers(HttpHeaders headers) {
            this.headers = headers.copy();
            return this;
        }

        /**
         * Adds a header field (CR/LF in names or values are rejected).
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /**
         * The body (not copied: do not modify it afterwards).
         *
         * @param body the body
         * @return this builder
         */
        public Builder body(byte[] body) {
            this.body = body;
            return this;
        }

        /**
         * The body, UTF-8 encoded.
         *
         * @param body the body
         * @return this builder
         */
        public Builder body(String body) {
            this.body = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * A streamed body, instead of {@link #body(byte[])}; such requests are never retried or re-sent on a 307/308.
         *
         * @param producer the body producer
         * @return this builder
         */
        public Builder bodyProducer(BodyProducer producer) {
            this.bodyProducer = producer;
            return this;
        }

        /**
         * HTTP basic authentication.
         *
         * @param username the user name
         * @param password the password
         * @return this builder
         */
        public Builder basicAuth(String username, String password) {
            this.authUsername = username;
            this.authPassword = password;
            this.digestAuth = false;
            return this;
        }

        /**
         * HTTP digest authentication (RFC 7616: MD5 or SHA-256, qop auth): the request goes out
         * without credentials, and a 401 with a Digest challenge is answered once. Not with a
         * {@link #bodyProducer} (the body cannot be sent twice).
         *
         * @param username the user name
         * @param password the password
         * @return this builder
         */
        public Builder digestAuth(String username, String password) {
            this.authUsername = username;
            this.authPassword = password;
            this.digestAuth = true;
            return this;
        }

        /**
         * Limit for resolving, connecting and the TLS handshake (default 20 s).
         *
         * @param d the connect timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /**
         * Limit for one hop of the request, queueing included (default 20 s).
         *
         * @param d the request timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        /**
         * Sets {@code followRedirects}.
         *
         * @param follow true for follow redirects
         * @return this builder
         */
        public Builder followRedirects(boolean follow) {
            this.followRedirects = follow;
            return this;
        }

        /**
         * Sets {@code maxRedirects}.
         *
         * @param max the max redirects
         * @return this builder
         */
        public Builder maxRedirects(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxRedirects must not be negative");
            }
            this.maxRedirects = max;
            return this;
        }

        /**
         * {@code User-Agent}, unless set as a header; default the client's.
         *
         * @param ua the user agent
         * @return this builder
         */
        public Builder userAgent(String ua) {
            this.userAgent = ua;
            return this;
        }

        /**
         * Ask for gzip and decompress it transparently (default true).
         *
         * @param decompress true for decompress response
         * @return this builder
         */
        public Builder decompressResponse(boolean decompress) {
            this.decompressResponse = decompress;
            return this;
        }

        /**
         * Local address to connect from (Tornado's {@code network_interface}).
         *
         * @param source the network interface
         * @return this builder
         */
        public Builder networkInterface(InetAddress source) {
            this.networkInterface = source;
            return this;
        }

        /**
         * Receives the body in pieces as they arrive, on the client's loop; nothing is buffered and
         * the response's body is empty. The buffer is valid only during the call.
         *
         * @param callback the streaming callback
         * @return this builder
         */
        public Builder streamingCallback(Consumer<ByteBuffer> callback) {
            this.streamingCallback = callback;
            return this;
        }

        /**
         * Sets {@code headerCallback}.
         *
         * @param callback the header callback
         * @return this builder
         */
        public Builder headerCallback(HeaderCallback callback) {
            this.headerCallback = callback;
            return this;
        }

        /**
         * An HTTP proxy: plain requests go through it, https through a CONNECT tunnel.
         *
         * @param host the host name
         * @param port the port
         * @return this builder
         */
        public Builder proxy(String host, int port) {
            this.proxyHost = host;
            this.proxyPort = port;
            return this;
        }

        /**
         * Basic credentials for the proxy ({@code Proxy-Authorization}).
         *
         * @param username the user name
         * @param password the password
         * @return this builder
         */
        public Builder proxyAuth(String username, String password) {
            this.proxyUsername = username;
            this.proxyPassword = password;
            return this;
        }

        /**
         * Allow any method token, and bodies on any method. By default only GET, HEAD, POST, PUT,
         * DELETE, PATCH and OPTIONS are accepted, POST/PUT/PATCH need a body and the others must
         * have none (as Tornado).
         *
         * @param allow true for allow nonstandard methods
         * @return this builder
         */
        public Builder allowNonstandardMethods(boolean allow) {
            this.allowNonstandardMethods = allow;
            return this;
        }

        /**
         * Verify the server's certificate and host name (default true).
         *
         * @param validate true for validate cert
         * @return this builder
         */
        public Builder validateCert(boolean validate) {
            this.validateCert = validate;
            return this;
        }

        /**
         * The TLS context: custom trust (CA) and, through its key managers, a client certificate.
         * Connections are pooled per context instance.
         *
         * @param context the SSL context
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /**
         * Send {@code Expect: 100-continue} and the body only after the server's 100 (or 1 s).
         *
         * @param expect true for expect100 continue
         * @return this builder
         */
        public Builder expect100Continue(boolean expect) {
            this.expect100Continue = expect;
            return this;
        }

        /**
         * Limit of the (decompressed) response body; default the client's.
         *
         * @param bytes the max body size
         * @return this builder
         */
        public Builder maxBodySize(long bytes) {
            this.maxBodySize = bytes;
            return this;
        }

        /**
         * False: connect over IPv4 only.
         *
         * @param allow true for allow ipv6
         * @return this builder
         */
        public Builder allowIpv6(boolean allow) {
            this.allowIpv6 = allow;
            return this;
        }

        /**
         * Whether a non-2xx response fails the fetch with {@link HttpClientException} (default true).
         *
         * @param raise true for raise error
         * @return this builder
         */
        public Builder raiseError(boolean raise) {
            this.raiseError = raise;
            return this;
        }

        /**
         * Speak HTTP/2 over plain {@code http} from the first byte, without asking (h2c with prior
         * knowledge, RFC 9113 section 3.3): for servers known to accept it, such as gRPC-style
         * services and {@code nghttpd}. A server that does not fails the request ("connection
         * error"). Such requests share one connection per origin, apart from HTTP/1.1 ones.
         * Ignored for https (ALPN decides there, see {@link ClientOptions#http2()}) and through a
         * proxy. Default false.
         *
         * @param priorKnowledge true for http2 prior knowledge
         * @return this builder
         */
        public Builder http2PriorKnowledge(boolean priorKnowledge) {
            this.http2PriorKnowledge = priorKnowledge;
            return this;
        }

        /**
         * Sets {@code If-Modified-Since}.
         *
         * @param when the if modified since
         * @return this builder
         */
        public Builder ifModifiedSince(Instant when) {
            headers.set("If-Modified-Since", io.gale.http.HttpUtil.formatTimestamp(when));
            return this;
        }

        /**
         * Builds the {@code HttpRequest}.
         *
         * @return the HTTP request
         */
        public HttpRequest build() {
            if (body != null && bodyProducer != null) {
                throw new IllegalArgumentException("set either body or bodyProducer, not both");
            }
            return new HttpRequest(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
