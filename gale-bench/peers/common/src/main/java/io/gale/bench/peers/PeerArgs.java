package io.gale.bench.peers;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command line of a peer server: {@code --port N} (required) plus {@code --name value} options
 * the peer declares. Unknown options fail fast, so a harness typo is not measured silently.
 */
record PeerArgs(int port, Map<String, String> options) {
    static PeerArgs parse(String[] args, String... allowed) {
        Set<String> names = Set.of(allowed);
        Map<String, String> opts = new HashMap<>();
        Integer port = null;
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got: " + args[i]);
            }
            String name = args[i].substring(2);
            String value = args[++i];
            if (name.equals("port")) {
                port = Integer.parseInt(value);
            } else if (names.contains(name)) {
                opts.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown option --" + name + " (allowed: --port " + names + ")");
            }
        }
        if (port == null) {
            throw new IllegalArgumentException("--port N is required");
        }
        return new PeerArgs(port, opts);
    }

    String get(String name, String dflt) {
        return options.getOrDefault(name, dflt);
    }
}
