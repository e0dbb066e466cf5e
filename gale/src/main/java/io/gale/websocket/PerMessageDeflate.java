package io.gale.websocket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * permessage-deflate negotiation (RFC 7692 section 7.1): parsing Sec-WebSocket-Extensions, the
 * server's choice among the client's offers, the client's offer and its check of the answer.
 * See {@link CompressionOptions} for how window sizes are handled. Stateless.
 */
final class PerMessageDeflate {
    static final String NAME = "permessage-deflate";

    private PerMessageDeflate() {
    }

    /** One extension from the header: its name and parameters (value null when absent). */
    record Extension(String name, Map<String, String> params, boolean valid) {
    }

    /** Parses a header value "ext; p=v; q, ext2". Duplicate parameters mark the offer invalid. */
    static List<Extension> parse(String header) {
        List<Extension> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        for (String item : splitOutsideQuotes(header, ',')) {
            List<String> parts = splitOutsideQuotes(item, ';');
            String name = parts.get(0).trim();
            if (name.isEmpty()) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            boolean valid = true;
            for (int i = 1; i < parts.size(); i++) {
                String p = parts.get(i).trim();
                if (p.isEmpty()) {
                    valid = false;
                    continue;
                }
                int eq = p.indexOf('=');
                String key = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
                String value = eq < 0 ? null : unquote(p.substring(eq + 1).trim());
                if (params.containsKey(key)) {
                    valid = false;
                }
                params.put(key, value);
            }
            out.add(new Extension(name.toLowerCase(java.util.Locale.ROOT), params, valid));
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static List<String> splitOutsideQuotes(String s, char sep) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == sep && !quoted) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /** Window bits 8-15 (RFC 7692 7.1.2: no leading zeros), or -1 if the value is not a valid one. */
    private static int bits(String v) {
        if (v == null || v.length() > 2 || v.isEmpty() || v.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        int b = Integer.parseInt(v);
        return b >= 8 && b <= 15 ? b : -1;
    }

    /**
     * Server side: the first acceptable permessage-deflate offer, or null (no compression).
     * Declines offers with unknown or malformed parameters. Every server_max_window_bits from 8
     * to 15 is accepted and echoed; our compressor then keeps to that window (see
     * {@link MessageDeflater} for 8).
     */
    static DeflateParams serverAccept(List<String> headerValues, CompressionOptions options) {
        if (options == null) {
            return null;
        }
        for (String header : headerValues) {
            for (Extension e : parse(header)) {
                if (!e.name().equals(NAME) || !e.valid()) {
                    continue;
                }
                DeflateParams p = serverAcceptOffer(e.params(), options);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    private static DeflateParams serverAcceptOffer(Map<String, String> params, CompressionOptions options) {
        boolean serverNct = options.serverNoContextTakeover();
        boolean clientNct = options.clientNoContextTakeover();
        boolean clientBitsOffered = false;
        int serverBits = -1;
        for (Map.Entry<String, String> p : params.entrySet()) {
            switch (p.getKey()) {
                case "server_no_context_takeover" -> {
                    if (p.getValue() != null) {
                        return null;
                    }
                    serverNct = true;
                }
                case "client_no_context_takeover" -> {
                    if (p.getValue() != null) {
                        return null;
                    }
                    clientNct = true;
                }
                case "server_max_window_bits" -> {
                    serverBits = bits(p.getValue());
                    if (serverBits < 0) {
                        return null;
                    }
                }
                case "client_max_window_bits" -> {
                    if (p.getValue() != null && bits(p.getValue()) < 0) {
                        return null;
                    }
                    clientBitsOffered = true;
                }
                default -> {
                    return null;
                }
            }
        }
        StringBuilder response = new StringBuilder(NAME);
        if (serverNct) {
            response.append("; server_no_context_takeover");
        }
        if (clientNct) {
            response.append("; client_no_context_takeover");
        }
        if (serverBits > 0) {
            // RFC 7692 7.1.2.1: the answer must carry the parameter, with the offered value or less.
            response.append("; server_max_window_bits=").append(serverBits);
        }
        if (clientBitsOffered && options.clientMaxWindowBits() < 15) {
            response.append("; client_max_window_bits=").append(options.clientMaxWindowBits());
        }
        return new DeflateParams(options.level(), serverNct, clientNct, serverBits > 0 ? serverBits : 15,
                response.toString());
    }

    /**
     * Client side: the Sec-WebSocket-Extensions offer. It always carries a bare
     * client_max_window_bits (as Tornado's and browsers' clients do): we compress with whatever
     * window 8-15 the server picks.
     */
    static String clientOffer(CompressionOptions options) {
        StringBuilder offer = new StringBuilder(NAME);
        if (options.serverNoContextTakeover()) {
            offer.append("; server_no_context_takeover");
        }
        if (options.clientNoContextTakeover()) {
            offer.append("; client_no_context_takeover");
        }
        if (options.serverMaxWindowBits() < 15) {
            offer.append("; server_max_window_bits=").append(options.serverMaxWindowBits());
        }
        offer.append("; client_max_window_bits");
        return offer.toString();
    }

    /**
     * Client side: checks the server's answer.
     *
     * @return the parameters, or null if the server did not accept compression
     * @throws IllegalArgumentException if the answer is not one the offer allows
     */
    static DeflateParams clientAccept(List<String> headerValues, CompressionOptions options) {
        List<Extension> all = new ArrayList<>();
        for (String h : headerValues) {
            all.addAll(parse(h));
        }
        if (all.isEmpty()) {
            return null;
        }
        if (options == null) {
            throw new IllegalArgumentException("server sent extensions that were not offered: " + all);
        }
        if (all.size() > 1 || !all.get(0).name().equals(NAME) || !all.get(0).valid()) {
            throw new IllegalArgumentException("unexpected extensions in the server's answer: " + headerValues);
        }
        boolean serverNct = false;
        boolean clientNct = options.clientNoContextTakeover();
        int clientBits = 15;
        for (Map.Entry<String, String> p : all.get(0).params().entrySet()) {
            switch (p.getKey()) {
                case "server_no_context_takeover" -> {
                    if (p.getValue() != null) {
                        throw new IllegalArgumentException("server_no_context_takeover with a value");
                    }
                    serverNct = true;
                }
                case "client_no_context_takeover" -> {
                    if (p.getValue() != null) {
                        throw new IllegalArgumentException("client_no_context_takeover with a value");
                    }
                    clientNct = true;
                }
                case "server_max_window_bits" -> {
                    int b = bits(p.getValue());
                    if (b < 0 || b > options.serverMaxWindowBits()) {
                        throw new IllegalArgumentException("invalid server_max_window_bits: " + p.getValue());
                    }
                }
                case "client_max_window_bits" -> {
                    clientBits = bits(p.getValue());
                    if (clientBits < 0) {
                        throw new IllegalArgumentException("invalid client_max_window_bits: " + p.getValue());
                    }
                }
                default -> throw new IllegalArgumentException("unknown permessage-deflate parameter " + p.getKey());
            }
        }
        if (options.serverNoContextTakeover() && !serverNct) {
            throw new IllegalArgumentException("server_no_context_takeover was requested but not confirmed");
        }
        return new DeflateParams(options.level(), clientNct, serverNct, clientBits, null);
    }
}
