package io.gale.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Socket helpers (Tornado's {@code netutil}): binding listening sockets and recognising numeric IP
 * addresses. Stateless; every method is safe from any thread.
 */
public final class NetUtil {
    /**
     * Default listen backlog. Tornado uses 128; Gale uses 1024 because one Gale process serves
     * every core, so a burst of connections lands on one queue. The kernel caps it at
     * {@code net.core.somaxconn} (4096 on current Linux).
     */
    public static final int DEFAULT_BACKLOG = 1024;

    private NetUtil() {}

    /**
     * True if {@code ip} is a numeric IPv4 (dotted quad) or IPv6 address (optionally in brackets,
     * optionally with a {@code %scope}); never consults DNS. Empty strings, NUL characters and host
     * names are rejected (Tornado's {@code is_valid_ip}).
     *
     * @param ip the IP address
     * @return true if {@code ip} is a numeric IPv4 (dotted quad) or IPv6 address (optionally in brackets, optionally with a {@code %scope}); never consults DNS
     */
    public static boolean isValidIp(String ip) {
        return ip != null && isIpLiteral(ip);
    }

    static boolean isIpLiteral(String s) {
        if (s.isEmpty() || s.length() > 64 + 2) {
            return false;
        }
        return s.indexOf(':') >= 0 ? isIpv6Literal(stripBrackets(s)) : isIpv4Literal(s);
    }

    static String stripBrackets(String host) {
        if (host.length() >= 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            return host.substring(1, host.length() - 1);
        }
        return host;
    }

    private static boolean isIpv4Literal(String s) {
        int parts = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            int start = i;
            int value = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            if (i == start || value > 255) {
                return false;
            }
            parts++;
            if (i < n) {
                if (s.charAt(i) != '.' || i == n - 1) {
                    return false;
                }
                i++;
            }
        }
        return parts == 4;
    }

    private static boolean isIpv6Literal(String s) {
        int scope = s.indexOf('%');
        if (scope == s.length() - 1) {
            return false;
        }
        String addr = scope >= 0 ? s.substring(0, scope) : s;
        int groups = 0;
        int lastColon = addr.lastIndexOf(':');
        if (lastColon >= 0 && addr.indexOf('.', lastColon) >= 0) {
            // An embedded IPv4 tail (::ffff:192.0.2.1) stands for two groups.
            if (!isIpv4Literal(addr.substring(lastColon + 1))) {
                return false;
            }
            groups = 2;
            String head = addr.substring(0, lastColon + 1);
            addr = head.endsWith("::") ? head : head.substring(0, head.length() - 1);
        }
        int dbl = addr.indexOf("::");
        if (dbl >= 0) {
            if (addr.indexOf("::", dbl + 1) >= 0) {
                return false;
            }
            int left = countGroups(addr.substring(0, dbl));
            int right = countGroups(addr.substring(dbl + 2));
            return left >= 0 && right >= 0 && left + right + groups <= 7;
        }
        int n = countGroups(addr);
        return n >= 0 && n + groups == 8;
    }

    /** Number of ':'-separated groups of 1 to 4 hex digits in {@code s}; -1 if malformed. */
    private static int countGroups(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        int groups = 0;
        int len = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                if (len == 0) {
                    return -1;
                }
                groups++;
                len = 0;
            } else if (Character.digit(c, 16) >= 0 && c < 128 && ++len <= 4) {
                continue;
            } else {
                return -1;
            }
        }
        return len == 0 ? -1 : groups + 1;
    }

    /**
     * Binds non-blocking listening sockets (Tornado's {@code bind_sockets}), with
     * {@code SO_REUSEADDR} on.
     *
     * <p>With a null or empty {@code address} (or {@code "::"}), one dual-stack socket on the IPv6
     * wildcard accepts both IPv4 and IPv6 connections on the same port; where the JVM has no IPv6
     * it is an IPv4 wildcard socket. (Tornado binds one socket per family with
     * {@code IPV6_V6ONLY}; Java cannot set that option, and its dual-stack socket gives the same
     * result: one port serving both families.) {@code "0.0.0.0"} binds IPv4 only. A host name
     * binds one socket per address it resolves to (blocking look-up), all on the same port: with
     * port 0, the first socket's ephemeral port is reused for the others. For {@code "localhost"},
     * an unavailable {@code ::1} is skipped.
     *
     * @param port the port, 0 for an ephemeral one
     * @param address the address
     * @param backlog listen queue length; 0 or less for {@link #DEFAULT_BACKLOG}
     * @param reusePort set {@code SO_REUSEPORT} (several processes or servers share the port)
     * @return the server socket channel list
     * @throws IOException when binding fails (the sockets bound so far are closed)
     * @throws UnsupportedOperationException if {@code reusePort} is asked for but not supported
     */
    public static List<ServerSocketChannel> bindSockets(int port, String address, int backlog, boolean reusePort)
            throws IOException {
        DefaultResolver.checkPort(port);
        int queue = backlog > 0 ? backlog : DEFAULT_BACKLOG;
        List<InetSocketAddress> targets = new ArrayList<>();
        if (address == null || address.isEmpty()) {
            targets.add(new InetSocketAddress(port)); // the wildcard: dual stack where IPv6 exists
        } else {
            Set<InetAddress> seen = new LinkedHashSet<>(List.of(InetAddress.getAllByName(stripBrackets(address))));
            for (InetAddress a : seen) {
                targets.add(new InetSocketAddress(a, port));
            }
        }
        List<ServerSocketChannel> bound = new ArrayList<>(targets.size());
        int chosenPort = port;
        try {
            for (InetSocketAddress target : targets) {
                InetSocketAddress at = chosenPort == target.getPort() ? target
                        : new InetSocketAddress(target.getAddress(), chosenPort);
                ServerSocketChannel ch;
                try {
                    ch = bindOne(at, queue, reusePort);
                } catch (SocketException e) {
                    if ("localhost".equalsIgnoreCase(address) && at.getAddress().getAddress().length == 16
                            && String.valueOf(e.getMessage()).contains("assign requested address")) {
                        continue; // ::1 not configured on this host: serve localhost on IPv4 only
                    }
                    throw e;
                }
                bound.add(ch);
                if (chosenPort == 0) {
                    chosenPort = ((InetSocketAddress) ch.getLocalAddress()).getPort();
                }
            }
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel ch : bound) {
                closeQuietly(ch);
            }
            throw e;
        }
        if (bound.isEmpty()) {
            throw new BindException("no address to bind for " + address + ":" + port);
        }
        return List.copyOf(bound);
    }

    private static ServerSocketChannel bindOne(InetSocketAddress at, int backlog, boolean reusePort) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException("SO_REUSEPORT is not supported on this platform");
                }
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(at, backlog);
            return ch;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            if (e instanceof BindException) {
                BindException named = new BindException(e.getMessage() + ": " + format(at));
                named.initCause(e);
                throw named;
            }
            throw e;
        }
    }

    /** {@code host:port}, with IPv6 hosts in brackets. */
    static String format(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    static String format(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing on an error path: the first error is the one worth reporting.
        }
    }
}
