package io.gale.http;

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
        return ip != null && isIpLiteral(ip) ? ip : peerIp;
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

    /** A textual IPv4 or IPv6 address (no host names, so no DNS lookups ever). */
    static boolean isIpLiteral(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return false;
        }
        return s.indexOf(':') >= 0 ? isIpv6(s) : isIpv4(s, 0, s.length());
    }

    private static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (i < to) {
            int start = i;
            int v = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            if (i == start || v > 255) {
                return false;
            }
            parts++;
            if (i < to) {
                if (s.charAt(i) != '.' || i + 1 == to) {
                    return false;
                }
                i++;
            }
        }
        return parts == 4;
    }

    private static boolean isIpv6(String s) {
        int groups = 0;
        boolean doubleColon = false;
        int i = 0;
        int n = s.length();
        if (s.startsWith("::")) {
            doubleColon = true;
            i = 2;
            if (i == n) {
                return true;
            }
        } else if (s.charAt(0) == ':') {
            return false;
        }
        while (i < n) {
            int start = i;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0 && i - start < 4) {
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                // embedded IPv4 in the last 32 bits
                return isIpv4(s, start, n) && groups + 2 + (doubleColon ? 1 : 0) <= 8;
            }
            if (i == start) {
                return false;
            }
            groups++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (doubleColon) {
                    return false;
                }
                doubleColon = true;
                i++;
            } else if (i == n) {
                return false;
            }
        }
        return doubleColon ? groups < 8 : groups == 8;
    }
}
