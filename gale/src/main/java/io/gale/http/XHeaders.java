package io.gale.http;

import io.gale.net.NetUtil;
import java.util.Set;

/**
 * Client address and scheme as reported by a reverse proxy ({@code xheaders}, as Tornado's
 * {@code _HTTPRequestContext._apply_xheaders}). Only used when the server is told it sits behind
 * a proxy: otherwise any client could claim any address.
 *
 * <p>Stateless and thread-safe.
 */
final class XHeaders {
    private XHeaders() {
    }

    /**
     * The client address: {@code X-Real-Ip} if present, else the right-most address of
     * {@code X-Forwarded-For} that is not a trusted proxy; the peer's own address when the result
     * is not an IP literal.
     */
    static String remoteIp(HttpHeaders headers, String peerIp, Set<String> trustedDownstream) {
        String ip = peerIp;
        String forwarded = headers.get("X-Forwarded-For");
        if (forwarded != null) {
            // Walk from the right: each proxy appends the address it received from.
            int end = forwarded.length();
            String candidate = null;
            while (end >= 0) {
                int comma = forwarded.lastIndexOf(',', end - 1);
                candidate = forwarded.substring(comma + 1, end).strip();
                if (!trustedDownstream.contains(candidate)) {
                    break;
                }
                if (comma < 0) {
                    break;
                }
                end = comma;
            }
            ip = candidate;
        }
        String real = headers.get("X-Real-Ip");
        if (real != null) {
            ip = real.strip();
        }
        return NetUtil.isValidIp(ip) ? ip : peerIp;
    }

    /** {@code X-Scheme}, else {@code X-Forwarded-Proto} (its last element), if http or https. */
    static String protocol(HttpHeaders headers, String current) {
        String p = headers.get("X-Scheme");
        if (p == null) {
            p = headers.get("X-Forwarded-Proto");
        }
        if (p == null) {
            return current;
        }
        int comma = p.lastIndexOf(',');
        p = p.substring(comma + 1).strip();
        return p.equals("http") || p.equals("https") ? p : current;
    }
}
