package io.gale.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical spellings of common header names. The HTTP/1.1 parser returns these very instances for
 * the names it recognises (in any letter case), so parsing a typical request allocates no name
 * strings and {@link HttpHeaders} lookups with these constants hit the identity fast path.
 */
public final class HttpHeaderNames {
    private HttpHeaderNames() {
    }

    /** {@code Accept}. */
    public static final String ACCEPT = "Accept";
    /** {@code Accept-Charset}. */
    public static final String ACCEPT_CHARSET = "Accept-Charset";
    /** {@code Accept-Encoding}. */
    public static final String ACCEPT_ENCODING = "Accept-Encoding";
    /** {@code Accept-Language}. */
    public static final String ACCEPT_LANGUAGE = "Accept-Language";
    /** {@code Accept-Ranges}. */
    public static final String ACCEPT_RANGES = "Accept-Ranges";
    /** {@code Age}. */
    public static final String AGE = "Age";
    /** {@code Allow}. */
    public static final String ALLOW = "Allow";
    /** {@code Authorization}. */
    public static final String AUTHORIZATION = "Authorization";
    /** {@code Cache-Control}. */
    public static final String CACHE_CONTROL = "Cache-Control";
    /** {@code Connection}. */
    public static final String CONNECTION = "Connection";
    /** {@code Content-Disposition}. */
    public static final String CONTENT_DISPOSITION = "Content-Disposition";
    /** {@code Content-Encoding}. */
    public static final String CONTENT_ENCODING = "Content-Encoding";
    /** {@code Content-Language}. */
    public static final String CONTENT_LANGUAGE = "Content-Language";
    /** {@code Content-Length}. */
    public static final String CONTENT_LENGTH = "Content-Length";
    /** {@code Content-Location}. */
    public static final String CONTENT_LOCATION = "Content-Location";
    /** {@code Content-Range}. */
    public static final String CONTENT_RANGE = "Content-Range";
    /** {@code Content-Type}. */
    public static final String CONTENT_TYPE = "Content-Type";
    /** {@code Cookie}. */
    public static final String COOKIE = "Cookie";
    /** {@code Date}. */
    public static final String DATE = "Date";
    /** {@code DNT}. */
    public static final String DNT = "DNT";
    /** {@code ETag}. */
    public static final String ETAG = "ETag";
    /** {@code Expect}. */
    public static final String EXPECT = "Expect";
    /** {@code Expires}. */
    public static final String EXPIRES = "Expires";
    /** {@code Forwarded}. */
    public static final String FORWARDED = "Forwarded";
    /** {@code Host}. */
    public static final String HOST = "Host";
    /** {@code If-Match}. */
    public static final String IF_MATCH = "If-Match";
    /** {@code If-Modified-Since}. */
    public static final String IF_MODIFIED_SINCE = "If-Modified-Since";
    /** {@code If-None-Match}. */
    public static final String IF_NONE_MATCH = "If-None-Match";
    /** {@code If-Range}. */
    public static final String IF_RANGE = "If-Range";
    /** {@code If-Unmodified-Since}. */
    public static final String IF_UNMODIFIED_SINCE = "If-Unmodified-Since";
    /** {@code Keep-Alive}. */
    public static final String KEEP_ALIVE = "Keep-Alive";
    /** {@code Last-Modified}. */
    public static final String LAST_MODIFIED = "Last-Modified";
    /** {@code Location}. */
    public static final String LOCATION = "Location";
    /** {@code Origin}. */
    public static final String ORIGIN = "Origin";
    /** {@code Pragma}. */
    public static final String PRAGMA = "Pragma";
    /** {@code Priority}. */
    public static final String PRIORITY = "Priority";
    /** {@code Proxy-Authorization}. */
    public static final String PROXY_AUTHORIZATION = "Proxy-Authorization";
    /** {@code Range}. */
    public static final String RANGE = "Range";
    /** {@code Referer}. */
    public static final String REFERER = "Referer";
    /** {@code Retry-After}. */
    public static final String RETRY_AFTER = "Retry-After";
    /** {@code Sec-Ch-Ua}. */
    public static final String SEC_CH_UA = "Sec-Ch-Ua";
    /** {@code Sec-Ch-Ua-Mobile}. */
    public static final String SEC_CH_UA_MOBILE = "Sec-Ch-Ua-Mobile";
    /** {@code Sec-Ch-Ua-Platform}. */
    public static final String SEC_CH_UA_PLATFORM = "Sec-Ch-Ua-Platform";
    /** {@code Sec-Fetch-Dest}. */
    public static final String SEC_FETCH_DEST = "Sec-Fetch-Dest";
    /** {@code Sec-Fetch-Mode}. */
    public static final String SEC_FETCH_MODE = "Sec-Fetch-Mode";
    /** {@code Sec-Fetch-Site}. */
    public static final String SEC_FETCH_SITE = "Sec-Fetch-Site";
    /** {@code Sec-Fetch-User}. */
    public static final String SEC_FETCH_USER = "Sec-Fetch-User";
    /** {@code Sec-WebSocket-Accept}. */
    public static final String SEC_WEBSOCKET_ACCEPT = "Sec-WebSocket-Accept";
    /** {@code Sec-WebSocket-Extensions}. */
    public static final String SEC_WEBSOCKET_EXTENSIONS = "Sec-WebSocket-Extensions";
    /** {@code Sec-WebSocket-Key}. */
    public static final String SEC_WEBSOCKET_KEY = "Sec-WebSocket-Key";
    /** {@code Sec-WebSocket-Protocol}. */
    public static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";
    /** {@code Sec-WebSocket-Version}. */
    public static final String SEC_WEBSOCKET_VERSION = "Sec-WebSocket-Version";
    /** {@code Server}. */
    public static final String SERVER = "Server";
    /** {@code Set-Cookie}. */
    public static final String SET_COOKIE = "Set-Cookie";
    /** {@code TE}. */
    public static final String TE = "TE";
    /** {@code Trailer}. */
    public static final String TRAILER = "Trailer";
    /** {@code Transfer-Encoding}. */
    public static final String TRANSFER_ENCODING = "Transfer-Encoding";
    /** {@code Upgrade}. */
    public static final String UPGRADE = "Upgrade";
    /** {@code Upgrade-Insecure-Requests}. */
    public static final String UPGRADE_INSECURE_REQUESTS = "Upgrade-Insecure-Requests";
    /** {@code User-Agent}. */
    public static final String USER_AGENT = "User-Agent";
    /** {@code Vary}. */
    public static final String VARY = "Vary";
    /** {@code Via}. */
    public static final String VIA = "Via";
    /** {@code WWW-Authenticate}. */
    public static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    /** {@code X-Forwarded-For}. */
    public static final String X_FORWARDED_FOR = "X-Forwarded-For";
    /** {@code X-Forwarded-Host}. */
    public static final String X_FORWARDED_HOST = "X-Forwarded-Host";
    /** {@code X-Forwarded-Proto}. */
    public static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    /** {@code X-Real-IP}. */
    public static final String X_REAL_IP = "X-Real-IP";
    /** {@code X-Requested-With}. */
    public static final String X_REQUESTED_WITH = "X-Requested-With";

    private static final int MAX_LEN = 32;
    /** By length: candidate names and their lower-cased bytes. */
    private static final String[][] NAMES = new String[MAX_LEN + 1][];
    private static final byte[][][] LOWER = new byte[MAX_LEN + 1][][];

    static {
        String[] all = {ACCEPT, ACCEPT_CHARSET, ACCEPT_ENCODING, ACCEPT_LANGUAGE, ACCEPT_RANGES, AGE, ALLOW,
            AUTHORIZATION, CACHE_CONTROL, CONNECTION, CONTENT_DISPOSITION, CONTENT_ENCODING, CONTENT_LANGUAGE,
            CONTENT_LENGTH, CONTENT_LOCATION, CONTENT_RANGE, CONTENT_TYPE, COOKIE, DATE, DNT, ETAG, EXPECT,
            EXPIRES, FORWARDED, HOST, IF_MATCH, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, IF_UNMODIFIED_SINCE,
            KEEP_ALIVE, LAST_MODIFIED, LOCATION, ORIGIN, PRAGMA, PRIORITY, PROXY_AUTHORIZATION, RANGE, REFERER,
            RETRY_AFTER, SEC_CH_UA, SEC_CH_UA_MOBILE, SEC_CH_UA_PLATFORM, SEC_FETCH_DEST, SEC_FETCH_MODE,
            SEC_FETCH_SITE, SEC_FETCH_USER, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_EXTENSIONS, SEC_WEBSOCKET_KEY,
            SEC_WEBSOCKET_PROTOCOL, SEC_WEBSOCKET_VERSION, SERVER, SET_COOKIE, TE, TRAILER, TRANSFER_ENCODING,
            UPGRADE, UPGRADE_INSECURE_REQUESTS, USER_AGENT, VARY, VIA, WWW_AUTHENTICATE, X_FORWARDED_FOR,
            X_FORWARDED_HOST, X_FORWARDED_PROTO, X_REAL_IP, X_REQUESTED_WITH};
        List<List<String>> byLen = new ArrayList<>();
        for (int i = 0; i <= MAX_LEN; i++) {
            byLen.add(new ArrayList<>());
        }
        for (String n : all) {
            byLen.get(n.length()).add(n);
        }
        for (int len = 0; len <= MAX_LEN; len++) {
            List<String> l = byLen.get(len);
            NAMES[len] = l.toArray(new String[0]);
            LOWER[len] = new byte[l.size()][];
            for (int j = 0; j < l.size(); j++) {
                LOWER[len][j] = l.get(j).toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            }
        }
    }

    /**
     * Returns the canonical constant for the token bytes {@code a[off, off+len)} if it is a known name
     * (ASCII case-insensitive), else null. The bytes must already be a valid token.
     */
    static String lookup(byte[] a, int off, int len) {
        if (len > MAX_LEN) {
            return null;
        }
        byte[][] candidates = LOWER[len];
        outer:
        for (int j = 0; j < candidates.length; j++) {
            byte[] c = candidates[j];
            for (int i = 0; i < len; i++) {
                // candidates hold only lower-case letters and '-'; for a token byte, b|0x20 == c exactly
                // when b is c or its upper-case form.
                if ((a[off + i] | 0x20) != c[i]) {
                    continue outer;
                }
            }
            return NAMES[len][j];
        }
        return null;
    }
}
