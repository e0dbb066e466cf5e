package io.gale.escape;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The named character references {@link Escape#xhtmlUnescape} decodes: HTML 4.01's 252 (the
 * list Tornado uses), read once from {@code html4-entities.txt} beside this class. Immutable
 * after loading; thread-safe.
 */
final class HtmlEntities {
    private static final Map<String, String> BY_NAME = load();

    private HtmlEntities() {
    }

    /** The text of the entity {@code name} (case-sensitive), or null for an unknown name. */
    static String lookup(String name) {
        return BY_NAME.get(name);
    }

    private static Map<String, String> load() {
        Map<String, String> map = new HashMap<>(512);
        try (InputStream in = HtmlEntities.class.getResourceAsStream("html4-entities.txt")) {
            if (in == null) {
                throw new IllegalStateException("html4-entities.txt missing from io.gale.escape");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                int sp = line.indexOf(' ');
                map.put(line.substring(0, sp), Character.toString(Integer.parseInt(line.substring(sp + 1), 16)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(map);
    }
}
