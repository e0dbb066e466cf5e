package io.gale.locale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gale's locale against Tornado's own: a table of cases (formatDate over every flag, offset and
 * distance, formatDay, list, friendlyNumber, translate and pgettext with plurals, the closest
 * locale, Accept-Language) is answered by Debian's python3-tornado on the same CSV and gettext
 * catalogues (src/test/resources/python/locale_cases.py) and by Gale; the answers must be equal.
 * Cases where Gale deliberately differs (documented on the methods) are tested in LocalesTest
 * and AcceptLanguageTest instead. Fails, not skips, when /usr/bin/python3 cannot import tornado.
 */
@Timeout(300)
class TornadoLocaleInteropTest {
    private static final List<String> LOCALES = List.of("en_US", "en_GB", "fr_FR", "es_ES", "zh_CN", "fa_IR");
    private static final List<Instant> NOWS = List.of(Instant.parse("2025-01-15T17:20:30Z"),
            Instant.parse("2024-03-01T00:00:10Z"), Instant.parse("2023-12-31T23:59:59Z"));
    private static final long DAY = 86_400;
    private static final long[] AGO = {0, 1, 49, 50, 89, 90, 150, 2999, 3000, 5399, 5400, 9000, 43_200, DAY - 1, DAY,
        DAY + 1, DAY + 5 * 3600, 2 * DAY - 1, 2 * DAY, 3 * DAY, 4 * DAY + 100, 5 * DAY, 6 * DAY, 30 * DAY, 333 * DAY,
        334 * DAY, 365 * DAY, 3650 * DAY, -30, -59, -61, -3600, -(DAY + 120)};
    private static final int[] OFFSETS = {0, 300, -480, -330};
    private static final List<String> MESSAGES = List.of("Sign out", "Welcome, %(name)s", "Color", "January", "Sunday",
            "yesterday", "%(commas)s and %(last)s", "Say \"hi\"\n", "Draft", "Untranslated", "Obsolete", "unknown",
            "1 minute ago", "%(n)d comment", "%(name)s liked this");
    private static final String[][] PLURALS = {{"%(n)d comment", "%(n)d comments"},
        {"%(name)s liked this", "%(name)s liked this"}, {"1 hour ago", "%(hours)d hours ago"}, {"apple", "apples"},
        {"club", "clubs"}};
    private static final long[] COUNTS = {0, 1, 2, 3, 5, 11, 12, 21, 22, 25, 101, 111, 112};

    private final List<Map<String, Object>> cases = new ArrayList<>();

    private Map<String, Object> add(String op, String source, Object... kv) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("op", op);
        c.put("source", source);
        for (int i = 0; i < kv.length; i += 2) {
            c.put((String) kv[i], kv[i + 1]);
        }
        cases.add(c);
        return c;
    }

    @Test
    void galeAnswersAsTornadoDoes() throws Exception {
        for (String source : List.of("csv", "gettext")) {
            List<String> locales = new ArrayList<>(LOCALES);
            if (source.equals("gettext")) {
                locales.add("pl_PL");
            }
            for (String locale : locales) {
                add("info", source, "locale", locale);
                for (Instant now : NOWS) {
                    for (long ago : AGO) {
                        long date = now.getEpochSecond() - ago;
                        for (int offset : OFFSETS) {
                            for (int flags = 0; flags < 8; flags++) {
                                add("formatDate", source, "locale", locale, "now", now.getEpochSecond(), "date", date,
                                        "gmtOffset", offset, "relative", (flags & 1) != 0, "shorter", (flags & 2) != 0,
                                        "fullFormat", (flags & 4) != 0);
                            }
                            add("formatDay", source, "locale", locale, "date", date, "gmtOffset", offset, "dow", true);
                            add("formatDay", source, "locale", locale, "date", date, "gmtOffset", offset, "dow", false);
                        }
                    }
                }
                for (List<String> parts : List.of(List.<String>of(), List.of("A"), List.of("A", "B"), List.of("A", "B", "C"),
                        List.of("Anne", "Bob", "Chlo\u00e9", "\u6768"))) {
                    add("list", source, "locale", locale, "parts", parts);
                }
                for (long n : new long[] {0, 1, 12, 123, 1234, 12_345, 123_456, 1_234_567, 1_000_000_000_000L,
                    Long.MAX_VALUE, -1, -12, -1234, -12_345, -1_234_567}) {
                    add("friendlyNumber", source, "locale", locale, "n", n);
                }
                for (String m : MESSAGES) {
                    add("translate", source, "locale", locale, "message", m, "plural", null, "count", 0);
                    for (String context : List.of("law", "direction", "nope")) {
                        add("pgettext", source, "locale", locale, "context", context, "message", m, "plural", null,
                                "count", 0);
                    }
                }
                for (String[] p : PLURALS) {
                    for (long count : COUNTS) {
                        add("translate", source, "locale", locale, "message", p[0], "plural", p[1], "count", count);
                        for (String context : List.of("organization", "stick", "nope")) {
                            add("pgettext", source, "locale", locale, "context", context, "message", p[0], "plural",
                                    p[1], "count", count);
                        }
                    }
                }
                add("pgettext", source, "locale", locale, "context", "law", "message", "right", "plural", null, "count", 0);
                add("pgettext", source, "locale", locale, "context", "direction", "message", "right", "plural", null,
                        "count", 0);
            }
            for (List<String> codes : List.of(List.of("fr-fr"), List.of("FR_fr"), List.of("fr"), List.of("zh-Hans-CN", "es-ES"),
                    List.of("", "xx", "zh_CN"), List.of("en"), List.of("en_AU"), List.of("EN-gb"), List.of("pl"),
                    List.of("pl-PL"), List.of("fa_ir_x", "fa_IR"), List.of("es_"), List.of("_ES"))) {
                add("get", source, "codes", codes);
            }
            for (String header : Arrays.asList(null, "", "fr-FR,fr;q=0.9,en;q=0.8", "de-DE, es-es;q=0.7, zh-CN;q=0.8",
                    "en-GB;q=0.5, es-ES;q=0.9", "es-ES;q=0.5, fr-FR;q=0.5", "fr-FR;q=0, es-ES;q=0.001", "*, fr-FR;q=0.1",
                    "zh-Hans-CN, zh-CN;q=0.9", "fr-FR;q=abc, es-ES;q=0.1", "fr-FR;q=-1, es-ES;q=0.1", "de, it",
                    "de;q=0", "pl-PL, fr-FR;q=0.5", "fr-FR;q=1.0, es-ES", "EN-gb,fr-FR;q=0.2")) {
                for (String def : List.of("en_US", "fr_FR", "zh-CN", "xx")) {
                    add("browser", source, "header", header, "default", def);
                }
            }
        }
        List<Object> tornado = runTornado();
        assertThat(tornado).hasSameSizeAs(cases);

        Map<String, Locales> loaded = new HashMap<>();
        loaded.put("csv", Locales.loadTranslations(TestCatalogues.csvDir()));
        loaded.put("gettext", Locales.loadGettextTranslations(TestCatalogues.gettextDir(), "gale"));
        Map<String, Locales> clocked = new HashMap<>();
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Map<String, Object> c = cases.get(i);
            String source = (String) c.get("source");
            Locales locales = loaded.get(source);
            Object gale = answer(c, locales, clocked);
            if (!gale.equals(tornado.get(i))) {
                mismatches.add(c + "\n    Tornado: " + tornado.get(i) + "\n    Gale:    " + gale);
            }
        }
        assertThat(mismatches).as(mismatches.size() + " of " + cases.size() + " cases differ; the first:\n"
                + String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size())))).isEmpty();
        assertThat(cases.size()).isGreaterThan(30_000);
    }

    private static Object answer(Map<String, Object> c, Locales locales, Map<String, Locales> clocked) {
        String op = (String) c.get("op");
        switch (op) {
            case "get":
                return locales.get(((List<?>) c.get("codes")).toArray(new String[0])).code();
            case "browser":
                return locales.fromAcceptLanguage((String) c.get("header"), (String) c.get("default")).code();
            default:
                break;
        }
        Locale l = locales.get((String) c.get("locale"));
        if (!l.code().equals(c.get("locale"))) {
            return "NOT SUPPORTED: " + l.code();
        }
        return switch (op) {
            case "info" -> List.of(l.name(), l.rtl());
            case "formatDate" -> {
                long now = ((Number) c.get("now")).longValue();
                Locales at = clocked.computeIfAbsent(c.get("source") + "@" + now,
                        k -> locales.withClock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC)));
                yield at.get(l.code()).formatDate(Instant.ofEpochSecond(((Number) c.get("date")).longValue()),
                        (Integer) c.get("gmtOffset"), (Boolean) c.get("relative"), (Boolean) c.get("shorter"),
                        (Boolean) c.get("fullFormat"));
            }
            case "formatDay" -> l.formatDay(Instant.ofEpochSecond(((Number) c.get("date")).longValue()),
                    (Integer) c.get("gmtOffset"), (Boolean) c.get("dow"));
            case "list" -> l.list((List<?>) c.get("parts"));
            case "friendlyNumber" -> l.friendlyNumber(((Number) c.get("n")).longValue());
            case "translate" -> c.get("plural") == null ? l.translate((String) c.get("message"))
                    : l.translate((String) c.get("message"), (String) c.get("plural"), ((Number) c.get("count")).longValue());
            case "pgettext" -> c.get("plural") == null ? l.pgettext((String) c.get("context"), (String) c.get("message"))
                    : l.pgettext((String) c.get("context"), (String) c.get("message"), (String) c.get("plural"),
                            ((Number) c.get("count")).longValue());
            default -> throw new IllegalArgumentException(op);
        };
    }

    private List<Object> runTornado() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("csv", TestCatalogues.csvDir().toString());
        request.put("gettext", TestCatalogues.gettextDir().toString());
        request.put("domain", "gale");
        request.put("cases", cases);
        Path script = Path.of(getClass().getResource("/python/locale_cases.py").toURI());
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (var stdin = p.getOutputStream()) {
            json.writeValue(stdin, request);
        }
        byte[] answer = out.get(240, TimeUnit.SECONDS);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("/usr/bin/python3 with Tornado (Debian's python3-tornado) must run "
                + "locale_cases.py; output: " + new String(answer, StandardCharsets.UTF_8)).isZero();
        return json.readValue(answer, new TypeReference<List<Object>>() { });
    }
}
