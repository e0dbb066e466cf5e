package io.gale.locale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Tornado's {@code LOCALE_NAMES}: the name of each locale code in its own language, read once
 * from the resource {@code locale-names.tsv} beside this class (data, not code: code, English
 * name, native name per line). Immutable after loading.
 */
final class LocaleNames {
    private static final Map<String, String> NAMES = load();

    private LocaleNames() {
    }

    /** The native name of {@code code}, or "Unknown" (Tornado's answer for codes it does not list). */
    static String name(String code) {
        return NAMES.getOrDefault(code, "Unknown");
    }

    private static Map<String, String> load() {
        Map<String, String> names = new HashMap<>();
        try (InputStream in = LocaleNames.class.getResourceAsStream("locale-names.tsv")) {
            if (in == null) {
                throw new IllegalStateException("resource io/gale/locale/locale-names.tsv is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                names.put(f[0], f[2]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(names);
    }
}
