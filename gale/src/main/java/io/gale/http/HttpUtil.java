package io.gale.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP helpers, Tornado's {@code httputil} functions with Java names: URL building and
 * percent-coding, query strings, HTTP dates, host/port splitting, header parameters, byte
 * ranges, form bodies and cookies.
 *
 * <p>All methods are static, stateless and thread-safe. Parsers of network input never throw
 * unchecked exceptions for bad input except where documented ({@link IllegalArgumentException}
 * from the strict {@code urlDecode} and {@code splitHostAndPort}); form bodies fail with the
 * checked {@link HttpFormException}, which a server answers with 400.
 *
 * <pre>{@code
 * HttpUtil.urlConcat("http://example.com/foo?a=b", Map.of("c", "d"));  // http://example.com/foo?a=b&c=d
 * Map<String, List<String>> args = new LinkedHashMap<>();
 * Map<String, List<HttpFile>> files = new LinkedHashMap<>();
 * HttpUtil.parseBodyArguments(contentType, body, args, files);
 * }</pre>
 */
public final class HttpUtil {
    private HttpUtil() {}

    // ---- URLs and query strings -------------------------------------------------------

    /**
     * Appends query arguments to a URL (Tornado's {@code url_concat}). The existing query is
     * kept, normalised the way Tornado does (decoded and re-encoded, blank values kept, so
     * {@code ?a&b} becomes {@code ?a=&b=}); the fragment stays at the end.
     *
     * @param url the URL
     * @param args the arguments
     * @return the string
     */
    public static String urlConcat(String url, Map<String, String> args) {
        return urlConcat(url, args.entrySet());
    }

    /**
     * {@link #urlConcat(String, Map)} with ordered, possibly repeated, name/value pairs.
     *
     * @param url the URL
     * @param args the arguments
     * @return the result (see {@link #urlConcat(String, Map)})
     */
    public static String urlConcat(String url, Iterable<? extends Map.Entry<String, String>> args) {
        int hash = url.indexOf('#');
        String fragment = hash < 0 ? "" : url.substring(hash);
        String beforeFragment = hash < 0 ? url : url.substring(0, hash);
        int q = beforeFragment.indexOf('?');
        String base = q < 0 ? beforeFragment : beforeFragment.substring(0, q);
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (q >= 0) {
            UrlCodec.parseQuery(beforeFragment.substring(q + 1), StandardCharsets.UTF_8)
                    .forEach((k, vs) -> vs.forEach(v -> pairs.add(Map.entry(k, v))));
        }
        args.forEach(pairs::add);
        StringBuilder out = new StringBuilder(url.length() + 32).append(base);
        if (!pairs.isEmpty()) {
            out.append('?');
            UrlCodec.encodePairs(pairs, out);
        }
        return out.append(fragment).toString();
    }

    /**
     * Percent-encodes a URL component as UTF-8: all but {@code A-Z a-z 0-9 - . _ ~}; space is {@code %20}.
     *
     * @param s the string
     * @return the encoded string
     */
    public static String urlEncode(String s) {
        return UrlCodec.encode(s, false);
    }

    /**
     * {@link #urlEncode(String)}, with space as {@code +} when {@code plus} (form encoding, Python's {@code quote_plus}).
     *
     * @param s the string
     * @param plus true for query arguments ({@code +} for a space), false for path segments ({@code %20})
     * @return the result (see {@link #urlEncode(String)})
     */
    public static String urlEncode(String s, boolean plus) {
        return UrlCodec.encode(s, plus);
    }

    /**
     * {@link #urlEncode(String)} leaving {@code /} as it is (for paths; Python's {@code quote}).
     *
     * @param s the string
     * @return the result (see {@link #urlEncode(String)})
     */
    public static String urlEncodePath(String s) {
        return UrlCodec.encode(s, false, true);
    }

    /**
     * Decodes a percent-encoded UTF-8 component leniently, as browsers and Python's {@code unquote}
     * do: a malformed escape stays as it is, bytes that are not UTF-8 become U+FFFD; {@code +} is
     * a space when {@code plus}. Never throws.
     *
     * @param s the string
     * @param plus true for query arguments ({@code +} for a space), false for path segments ({@code %20})
     * @return the decoded string
     */
    public static String urlDecodeLenient(String s, boolean plus) {
        return UrlCodec.decodeLenient(s, plus);
    }

    /**
     * {@link #urlDecodeLenient} to bytes, without reading them as UTF-8 (Python's {@code unquote_to_bytes}).
     *
     * @param s the string
     * @param plus true for query arguments ({@code +} for a space), false for path segments ({@code %20})
     * @return the result (see {@link #urlDecodeLenient})
     */
    public static byte[] urlDecodeToBytes(String s, boolean plus) {
        return UrlCodec.decodeToBytes(s, plus);
    }

    /**
     * Strictly decodes a percent-encoded UTF-8 component; {@code +} stays {@code +}.
     *
     * @param s the string
     * @return the string
     * @throws IllegalArgumentException on a malformed escape or malformed UTF-8
     */
    public static String urlDecode(String s) {
        return UrlCodec.decodeStrict(s, false);
    }

    /**
     * {@link #urlDecode(String)}, with {@code +} as space when {@code plus} (form decoding).
     *
     * @param s the string
     * @param plus true for query arguments ({@code +} for a space), false for path segments ({@code %20})
     * @return the result (see {@link #urlDecode(String)})
     * @throws IllegalArgumentException on a malformed escape or malformed UTF-8
     */
    public static String urlDecode(String s, boolean plus) {
        return UrlCodec.decodeStrict(s, plus);
    }

    /**
     * Encodes pairs as {@code a=1&b=2} (form encoding, Python's {@code urlencode}).
     *
     * @param pairs the pairs
     * @return the encoded string
     */
    public static String encodeQueryString(Iterable<? extends Map.Entry<String, String>> pairs) {
        StringBuilder sb = new StringBuilder();
        UrlCodec.encodePairs(pairs, sb);
        return sb.toString();
    }

    /**
     * {@link #encodeQueryString(Iterable)} over a map's entries, in its iteration order.
     *
     * @param args the arguments
     * @return the result (see {@link #encodeQueryString(Iterable)})
     */
    public static String encodeQueryString(Map<String, String> args) {
        return encodeQueryString(args.entrySet());
    }

    /**
     * {@link #parseQueryString(String, Charset)} in UTF-8.
     *
     * @param query the query string
     * @return the result (see {@link #parseQueryString(String, Charset)})
     */
    public static Map<String, List<String>> parseQueryString(String query) {
        return UrlCodec.parseQuery(query, StandardCharsets.UTF_8);
    }

    /**
     * Parses a query string (without the {@code ?}) into an ordered multi-map, keeping blank
     * values ({@code a&b=} gives {@code a=[""], b=[""]}) and skipping empty pairs. Lenient as
     * browsers are: a malformed {@code %} escape is kept literally and malformed bytes become
     * U+FFFD. {@code +} is a space.
     *
     * @param query the query string
     * @param charset the charset
     * @return a mutable {@link java.util.LinkedHashMap}; empty for {@code null} or ""
     */
    public static Map<String, List<String>> parseQueryString(String query, Charset charset) {
        return UrlCodec.parseQuery(query, charset);
    }

    // ---- dates ------------------------------------------------------------------------

    /**
     * Formats an HTTP-date (IMF-fixdate): {@code Sun, 06 Nov 1994 08:49:37 GMT}.
     *
     * @param instant the instant
     * @return the formatted string
     */
    public static String formatTimestamp(Instant instant) {
        return HttpDates.format(instant);
    }

    /**
     * {@link #formatTimestamp(Instant)} for milliseconds since the epoch.
     *
     * @param epochMillis the epoch millis
     * @return the result (see {@link #formatTimestamp(Instant)})
     */
    public static String formatTimestamp(long epochMillis) {
        return HttpDates.format(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * Parses an HTTP-date in any of the three forms of RFC 9110 section 5.6.7 (IMF-fixdate,
     * RFC 850, asctime). Invalid input gives an empty result, never an exception, so that a
     * bad {@code If-Modified-Since} is simply ignored.
     *
     * @param value the value
     * @return the parsed optional
     */
    public static Optional<Instant> parseHttpDate(String value) {
        return HttpDates.parse(value, Instant.now().atOffset(ZoneOffset.UTC).getYear());
    }

    // ---- hosts and headers ------------------------------------------------------------

    /**
     * Splits {@code host[:port]} (Tornado's {@code split_host_and_port}). IPv6 literals keep
     * their brackets ({@code [::1]:80}); a bare IPv6 address is all host. An empty port
     * ({@code host:}) counts as none.
     *
     * @param netloc the netloc
     * @return the split host and port
     * @throws IllegalArgumentException if the port is not 1-5 digits within 0-65535, or a
     *     bracketed literal is malformed
     */
    public static HostAndPort splitHostAndPort(String netloc) {
        String host;
        String port;
        if (netloc.startsWith("[")) {
            int close = netloc.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("unterminated IPv6 literal");
            host = netloc.substring(0, close + 1);
            String rest = netloc.substring(close + 1);
            if (rest.isEmpty()) return new HostAndPort(host, -1);
            if (rest.charAt(0) != ':') throw new IllegalArgumentException("garbage after IPv6 literal");
            port = rest.substring(1);
        } else {
            int colon = netloc.lastIndexOf(':');
            if (colon < 0 || netloc.indexOf(':') != colon) return new HostAndPort(netloc, -1);
            host = netloc.substring(0, colon);
            port = netloc.substring(colon + 1);
        }
        if (port.isEmpty()) return new HostAndPort(host, -1);
        if (port.length() > 5) throw new IllegalArgumentException("invalid port");
        int p = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException("invalid port");
            p = p * 10 + (c - '0');
        }
        if (p > 65535) throw new IllegalArgumentException("invalid port");
        return new HostAndPort(host, p);
    }

    /**
     * Parses a header value with parameters ({@code value; a=1; b="x y"}): quoted-strings,
     * {@code \"} and {@code \\} escapes, and RFC 2231/8187 {@code name*=UTF-8''...} values
     * (which take precedence over {@code name=}). Never throws; malformed parameters are skipped.
     *
     * @param header the header value
     * @return the parsed header value
     */
    public static HeaderValue parseHeaderParams(String header) {
        return HeaderParams.parse(header);
    }

    /**
     * {@link #parseHeaderParams(String)} with the media type lower-cased: {@code multipart/form-data}.
     *
     * @param contentType the media type
     * @return the result (see {@link #parseHeaderParams(String)})
     */
    public static HeaderValue parseContentType(String contentType) {
        HeaderValue v = HeaderParams.parse(contentType);
        return new HeaderValue(v.value().toLowerCase(Locale.ROOT), v.params());
    }

    /**
     * Interprets a {@code Range} header for a representation of {@code length} bytes:
     * single and multiple ranges, open ({@code 500-}) and suffix ({@code -500}) ranges.
     * Invalid syntax, a unit other than {@code bytes}, or more than 16 ranges give
     * {@link RangeResult.Ignored} (serve 200); a valid set with no satisfiable range gives
     * {@link RangeResult.Unsatisfiable} (416).
     *
     * @param header the header value
     * @param length the length
     * @return the range result
     */
    public static RangeResult parseRange(String header, long length) {
        return RangeParser.parse(header, length);
    }

    // ---- bodies -----------------------------------------------------------------------

    /**
     * {@link #parseBodyArguments(String, byte[], Map, Map, FormLimits)} with {@link FormLimits#DEFAULTS}.
     *
     * @param contentType the media type
     * @param body the body
     * @param arguments the arguments
     * @param files the files
     * @throws HttpFormException if the body is malformed
     */
    public static void parseBodyArguments(String contentType, byte[] body, Map<String, List<String>> arguments,
                                          Map<String, List<HttpFile>> files) throws HttpFormException {
        FormBodyParser.parse(contentType, body, arguments, files, FormLimits.DEFAULTS);
    }

    /**
     * Parses a request body (Tornado's {@code parse_body_arguments}) into {@code arguments} and
     * {@code files}, which it appends to. Understands {@code application/x-www-form-urlencoded}
     * (charset parameter honoured, UTF-8 by default) and {@code multipart/form-data}; other
     * types are left alone.
     *
     * @param contentType the media type
     * @param body the body
     * @param arguments the arguments
     * @param files the files
     * @param limits the limits
     * @throws HttpFormException on a malformed body or an exceeded limit (answer 400); entries
     *     parsed before the error may already have been added
     */
    public static void parseBodyArguments(String contentType, byte[] body, Map<String, List<String>> arguments,
                                          Map<String, List<HttpFile>> files, FormLimits limits) throws HttpFormException {
        FormBodyParser.parse(contentType, body, arguments, files, limits);
    }

    /**
     * Parses a whole {@code multipart/form-data} body (Tornado's {@code parse_multipart_form_data}).
     * For bodies that should not be buffered, use {@link MultipartParser} directly.
     *
     * @param boundary the boundary, quoted or not
     * @param body the body
     * @param arguments the arguments
     * @param files the files
     * @param limits the limits
     * @throws HttpFormException on malformed input or an exceeded limit
     */
    public static void parseMultipartFormData(String boundary, byte[] body, Map<String, List<String>> arguments,
                                              Map<String, List<HttpFile>> files, FormLimits limits) throws HttpFormException {
        if (boundary == null) throw new HttpFormException("multipart/form-data without a boundary");
        if (!limits.multipartEnabled()) throw new HttpFormException("multipart/form-data is disabled");
        MultipartParser parser = new MultipartParser(HeaderParams.unquote(boundary), limits,
                new MultipartFormCollector(arguments, files));
        parser.feed(java.nio.ByteBuffer.wrap(body));
        parser.finish();
    }

    // ---- cookies ----------------------------------------------------------------------

    /**
     * Parses a {@code Cookie} request header the way browsers and Tornado's
     * {@code parse_cookie} do, in linear time: pairs split on {@code ;} and at their first
     * {@code =}, names and values stripped of whitespace, a value in double quotes unquoted
     * (with Python's {@code \ooo} and {@code \c} escapes), chunks without {@code =} or with an
     * empty name ignored. A repeated name keeps its first position and its last value.
     *
     * @param header the header value
     * @return a mutable ordered map; empty for {@code null}
     */
    public static Map<String, String> parseCookieHeader(String header) {
        return CookieParser.parse(header);
    }
}
