package io.gale.httpclient;

import java.net.URI;
import java.util.Objects;

/**
 * The next request after a redirect (Tornado's rules, as browsers): 303 (except for HEAD) and
 * 301/302 after POST become a GET without body and content fields; 307/308 keep method and body;
 * {@code Host} is recomputed; a change of scheme, host or port drops {@code Authorization},
 * {@code Cookie} and the credentials. Stateless.
 */
final class Redirects {
    private Redirects() {
    }

    static HttpRequest follow(HttpRequest hop, int code, String location) {
        URI target = hop.uri.resolve(location.trim());
        HttpRequest.Builder b = hop.toBuilder().url(target.toString());
        b.headers(hop.headers.copy());
        var h = hop.headers.copy();
        h.remove("Host");
        boolean toGet = (code == 303 && !hop.method.equals("HEAD"))
                || ((code == 301 || code == 302) && hop.method.equals("POST"));
        if (toGet) {
            b.method("GET").body((byte[]) null).bodyProducer(null);
            h.remove("Content-Length");
            h.remove("Content-Type");
            h.remove("Content-Encoding");
            h.remove("Transfer-Encoding");
        }
        if (!sameOrigin(hop.uri, target)) {
            h.remove("Authorization");
            h.remove("Cookie");
            b.basicAuth(null, null);
        }
        return b.headers(h).build();
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : Objects.equals(u.getScheme().toLowerCase(), "https") ? 443 : 80;
    }
}
