package io.gale.locale;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locales an application supports and their translations: what Tornado keeps in
 * {@code tornado.locale}'s module globals, as one immutable object the application holds (the
 * {@code locales} setting of {@code ApplicationSettings}), so two applications in one JVM can
 * have different translations and nothing changes under a running server.
 *
 * <pre>{@code
 * Locales locales = Locales.loadTranslations(Path.of("translations"))       // es_LA.csv, fr_FR.csv ...
 *         .withDefaultLocale("en_US");
 * // or gettext: translations/fr_FR/LC_MESSAGES/myapp.mo (or .po)
 * Locales locales = Locales.loadGettextTranslations(Path.of("translations"), "myapp");
 *
 * Locale fr = locales.get("fr-CA", "en");   // fr_CA if supported, else fr, else en..., else the default
 * }</pre>
 *
 * <p>Tornado's module functions map to: {@code load_translations} → {@link #loadTranslations},
 * {@code load_gettext_translations} → {@link #loadGettextTranslations}, {@code set_default_locale}
 * → {@link #withDefaultLocale}, {@code get} and {@code Locale.get_closest} → {@link #get} /
 * {@link #getClosest}, {@code get_supported_locales} → {@link #supportedLocales}. Each returns a
 * new object instead of changing a global one.
 *
 * <p>Loading failures, as in Tornado: a CSV file named otherwise than {@code LOCALE.csv} (a
 * lower-case language, optionally {@code _} and an upper-case region) and CSV rows with an
 * unknown plural indicator are logged on {@code gale.general} and skipped; a CSV file whose
 * bytes do not decode fails the whole load with a {@link TranslationFormatException}; a gettext
 * catalogue that cannot be read is logged and its locale left out. Directories may be on any
 * file system (a jar's, through {@code FileSystems.newFileSystem}). Limits: {@link LocaleLimits}.
 *
 * <p>Immutable and thread-safe; every {@link Locale} it hands out is built once, at load time.
 */
public final class Locales {
    /** Tornado's default locale, the language of the source strings unless changed. */
    public static final String DEFAULT_LOCALE = "en_US";

    private static final Pattern CSV_LOCALE = Pattern.compile("[a-z]+(_[A-Z]+)?");
    private static final Locales DEFAULTS = new Locales(Map.of(), DEFAULT_LOCALE, Clock.systemUTC());

    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger("gale.general");
    }

    private final Map<String, Catalog> catalogs;
    private final String defaultCode;
    private final Clock clock;
    /** Every supported locale (the translated ones and the default), by code. */
    private final Map<String, Locale> locales;

    private Locales(Map<String, Catalog> catalogs, String defaultCode, Clock clock) {
        this.catalogs = Map.copyOf(catalogs);
        this.defaultCode = defaultCode;
        this.clock = clock;
        Map<String, Locale> all = new HashMap<>();
        catalogs.forEach((code, catalog) -> all.put(code, new Locale(code, catalog, clock)));
        all.computeIfAbsent(defaultCode, code -> new Locale(code, CsvCatalog.EMPTY, clock));
        this.locales = Map.copyOf(all);
    }

    /**
     * No translations and the default locale {@code en_US}: Tornado's state before anything is loaded.
     *
     * @return no translations and the default locale {@code en_US}: Tornado's state before anything is loaded
     */
    public static Locales defaults() {
        return DEFAULTS;
    }

    /**
     * {@link #loadTranslations(Path, Charset)} with the encoding detected per file.
     *
     * @param directory the directory
     * @return the result (see {@link #loadTranslations(Path, Charset)})
     * @throws IOException if an I/O error occurs
     */
    public static Locales loadTranslations(Path directory) throws IOException {
        return loadTranslations(directory, null);
    }

    /**
     * Loads Tornado's CSV translations (Tornado's {@code load_translations}): every
     * {@code LOCALE.csv} in {@code directory} ({@code es_GT.csv}, {@code fr.csv}) holds rows
     * {@code "message","translation"} with an optional third column {@code plural},
     * {@code singular} or {@code unknown} (empty or absent: unknown):
     *
     * <pre>
     * "I love you","Te amo"
     * "%(name)s liked this","A %(name)s les gustó esto","plural"
     * "%(name)s liked this","A %(name)s le gustó esto","singular"
     * </pre>
     *
     * @param directory the directory
     * @param encoding the files' encoding; null to detect it per file from its byte order mark
     *     (UTF-16 with one, else UTF-8 with or without one)
     * @return the translations, with the default locale {@code en_US}
     * @throws TranslationFormatException if a file does not decode, or is over the size limit
     * @throws IOException if the directory cannot be read
     */
    public static Locales loadTranslations(Path directory, Charset encoding) throws IOException {
        Map<String, Catalog> catalogs = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.csv")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String code = name.substring(0, name.length() - ".csv".length());
                if (!CSV_LOCALE.matcher(code).matches()) {
                    Log.LOG.error("Unrecognized locale '{}' (path: {})", code, file);
                    continue;
                }
                if (Files.isRegularFile(file)) {
                    catalogs.put(code, CsvParser.parse(read(file), encoding, file.toString()));
                }
            }
        }
        Log.LOG.debug("Supported locales: {}", new TreeSet<>(catalogs.keySet()));
        return new Locales(catalogs, DEFAULT_LOCALE, Clock.systemUTC());
    }

    /**
     * Loads gettext catalogues (Tornado's {@code load_gettext_translations}) from a tree like
     * {@code /usr/share/locale}: {@code directory/LANG/LC_MESSAGES/DOMAIN.mo}, where LANG is the
     * locale code ({@code pt_BR}). A {@code DOMAIN.po} is read when there is no {@code .mo} (the
     * {@code .mo} wins when both exist). Plural forms follow each catalogue's {@code Plural-Forms}
     * header ({@code n != 1} without one). Compile with {@code msgfmt DOMAIN.po -o
     * directory/pt_BR/LC_MESSAGES/DOMAIN.mo}.
     *
     * <p>A catalogue that cannot be read or parsed is logged ("Cannot load translation for ...")
     * and its locale left out, as Tornado does.
     *
     * @param directory the directory
     * @param domain the cookie domain
     * @return the translations, with the default locale {@code en_US}
     * @throws IOException if {@code directory} cannot be listed
     * @throws IllegalArgumentException if {@code domain} is empty or holds a path separator
     */
    public static Locales loadGettextTranslations(Path directory, String domain) throws IOException {
        if (domain.isEmpty() || domain.contains("/") || domain.contains("\\") || domain.equals("..")) {
            throw new IllegalArgumentException("not a gettext domain: " + domain);
        }
        Map<String, Catalog> catalogs = new HashMap<>();
        try (DirectoryStream<Path> langs = Files.newDirectoryStream(directory)) {
            for (Path dir : langs) {
                String lang = dir.getFileName().toString().replace("/", "");
                Path messages = dir.resolve("LC_MESSAGES");
                Path mo = messages.resolve(domain + ".mo");
                Path po = messages.resolve(domain + ".po");
                if (lang.startsWith(".")) {
                    continue; // as the glob Tornado uses
                }
                try {
                    if (Files.isRegularFile(mo)) {
                        catalogs.put(lang, MoParser.parse(read(mo), mo.toString()));
                    } else if (Files.isRegularFile(po)) {
                        catalogs.put(lang, PoParser.parse(read(po), po.toString()));
                    }
                } catch (IOException e) {
                    Log.LOG.error("Cannot load translation for '{}': {}", lang, e.getMessage());
                }
            }
        }
        Log.LOG.debug("Supported locales: {}", new TreeSet<>(catalogs.keySet()));
        return new Locales(catalogs, DEFAULT_LOCALE, Clock.systemUTC());
    }

    private static byte[] read(Path file) throws IOException {
        if (Files.size(file) > LocaleLimits.MAX_FILE_BYTES) {
            throw new TranslationFormatException(file + ": larger than " + LocaleLimits.MAX_FILE_BYTES + " bytes");
        }
        return Files.readAllBytes(file);
    }

    /**
     * These translations with another default locale (Tornado's {@code set_default_locale}): the
     * language the source strings are written in, answered when nothing closer is supported. It
     * needs no translation file.
     *
     * @param code the default locale
     * @return a copy with this value replaced
     */
    public Locales withDefaultLocale(String code) {
        if (code == null || code.isEmpty()) {
            throw new IllegalArgumentException("empty locale code");
        }
        return new Locales(catalogs, code, clock);
    }

    /**
     * These translations measuring relative dates ({@link Locale#formatDate}) against {@code clock}; default UTC system clock.
     *
     * @param clock the clock
     * @return a copy with this value replaced
     */
    public Locales withClock(Clock clock) {
        return new Locales(catalogs, defaultCode, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * The closest supported locale to the first code that has one (Tornado's
     * {@code tornado.locale.get}): each code is normalised ({@code en-us} → {@code en_US}) and
     * tried as it is, then by its language alone ({@code en}); codes with more than two parts
     * ({@code zh-Hans-CN}) are skipped, as in Tornado. None: the default locale.
     *
     * @param codes the locale codes
     * @return the closest supported locale to the first code that has one (Tornado's {@code tornado.locale.get}): each code is normalised ({@code en-us} → {@code en_US}) and tried as it is, then by its language alone ({@code en}); codes with more than two parts ({@code zh-Hans-CN}) are skipped, as in Tornado
     */
    public Locale get(String... codes) {
        for (String code : codes) {
            Locale l = match(code);
            if (l != null) {
                return l;
            }
        }
        return defaultLocale();
    }

    /**
     * The same as {@link #get(String...)} (Tornado's {@code Locale.get_closest}).
     *
     * @param codes the locale codes
     * @return the same as {@link #get(String...)} (Tornado's {@code Locale.get_closest})
     */
    public Locale getClosest(String... codes) {
        return get(codes);
    }

    /** The supported locale for one code, full then language, or null (one step of {@link #get}). */
    Locale match(String code) {
        if (code == null || code.isEmpty()) {
            return null;
        }
        Locale exact = locales.get(code); // a code already in canonical form (every render asks for the default's)
        if (exact != null) {
            return exact;
        }
        String normal = code.replace('-', '_');
        int sep = normal.indexOf('_');
        if (sep >= 0 && normal.indexOf('_', sep + 1) >= 0) {
            return null;
        }
        String language = sep < 0 ? normal : normal.substring(0, sep);
        if (sep >= 0) {
            normal = language.toLowerCase(java.util.Locale.ROOT) + "_"
                    + normal.substring(sep + 1).toUpperCase(java.util.Locale.ROOT);
        }
        Locale l = locales.get(normal);
        return l != null ? l : locales.get(language.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The locale for a request's {@code Accept-Language} field values (Tornado's
     * {@code get_browser_locale}): see {@link AcceptLanguage} for the rules and limits. With no
     * usable language range, the closest locale to {@code defaultCode}.
     *
     * @param fieldValues the field values
     * @param defaultCode the locale code used when none matches
     * @return the locale for a request's {@code Accept-Language} field values (Tornado's {@code get_browser_locale}): see {@link AcceptLanguage} for the rules and limits
     */
    public Locale fromAcceptLanguage(List<String> fieldValues, String defaultCode) {
        return AcceptLanguage.choose(fieldValues, this, defaultCode);
    }

    /**
     * {@link #fromAcceptLanguage(List, String)} for one field value (null for none).
     *
     * @param fieldValue the field value
     * @param defaultCode the locale code used when none matches
     * @return the result (see {@link #fromAcceptLanguage(List, String)})
     */
    public Locale fromAcceptLanguage(String fieldValue, String defaultCode) {
        return fromAcceptLanguage(fieldValue == null ? List.of() : List.of(fieldValue), defaultCode);
    }

    /**
     * The codes of the supported locales: those with translations and the default (Tornado's {@code get_supported_locales}).
     *
     * @return the codes of the supported locales: those with translations and the default (Tornado's {@code get_supported_locales})
     */
    public Set<String> supportedLocales() {
        return locales.keySet();
    }

    /**
     * The default locale's code.
     *
     * @return the default locale's code
     */
    public String defaultLocaleCode() {
        return defaultCode;
    }

    /**
     * The default locale.
     *
     * @return the default locale
     */
    public Locale defaultLocale() {
        return locales.get(defaultCode);
    }

    @Override
    public String toString() {
        return "Locales" + new TreeSet<>(locales.keySet()) + " default " + defaultCode;
    }
}
