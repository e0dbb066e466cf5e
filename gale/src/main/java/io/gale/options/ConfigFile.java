package io.gale.options;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads a configuration file into (name, value) entries; {@link OptionParser} checks names and
 * types.
 *
 * <p>The format, for files of any name except {@code *.properties}: UTF-8 text, one
 * {@code name = value} per line; blank lines and lines starting with {@code #} are ignored; a
 * value in double or single quotes loses them (so Tornado's Python-syntax files such as
 * {@code port = 8888}, {@code debug = True}, {@code name = "x"} and {@code ports = [8000, 8001]}
 * read the same); otherwise the value is the rest of the line, trimmed, {@code #} included.
 * A {@code *.properties} file is read by {@link Properties} (its escapes and continuation lines;
 * no line numbers in messages). YAML is not read: it would add a parser dependency to the library.
 *
 * <p>Limits: files up to 1 MiB (a configuration file larger than that is a mistake).
 */
final class ConfigFile {
    static final long MAX_SIZE = 1 << 20;

    /** One setting; {@code where} is {@code file:line} for messages. */
    record Entry(String name, String value, String where) {
    }

    private ConfigFile() {
    }

    static List<Entry> read(Path path) {
        try {
            long size = Files.size(path);
            if (size > MAX_SIZE) {
                throw new OptionError(path + ": configuration file larger than " + MAX_SIZE + " bytes");
            }
            if (path.getFileName() != null && path.getFileName().toString().endsWith(".properties")) {
                return properties(path);
            }
            return lines(path, Files.readAllLines(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new OptionError("configuration file " + path + " does not exist", e);
        } catch (MalformedInputException e) {
            throw new OptionError("configuration file " + path + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new OptionError("cannot read configuration file " + path + ": " + e, e);
        }
    }

    static List<Entry> lines(Path path, List<String> lines) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = path + ":" + (i + 1);
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new OptionError(where + ": expected 'name = value', got '" + line + "'");
            }
            String name = line.substring(0, eq).strip();
            if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new OptionError(where + ": '" + name + "' is not an option name");
            }
            out.add(new Entry(name, unquote(line.substring(eq + 1).strip()), where));
        }
        return out;
    }

    private static List<Entry> properties(Path path) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        List<Entry> out = new ArrayList<>();
        for (String name : new java.util.TreeSet<>(p.stringPropertyNames())) {
            out.add(new Entry(name, p.getProperty(name), path.toString()));
        }
        return out;
    }

    /** {@code "x"} or {@code 'x'} → {@code x}; anything else unchanged. */
    static String unquote(String v) {
        if (v.length() >= 2) {
            char q = v.charAt(0);
            if ((q == '"' || q == '\'') && v.charAt(v.length() - 1) == q) {
                return v.substring(1, v.length() - 1);
            }
        }
        return v;
    }

    /** A Python-style list {@code [a, "b"]} → {@code a,b}; anything else unchanged. */
    static String unbracket(String v) {
        String t = v.strip();
        if (t.length() >= 2 && t.charAt(0) == '[' && t.charAt(t.length() - 1) == ']') {
            StringBuilder sb = new StringBuilder();
            boolean first = true;
            for (String item : t.substring(1, t.length() - 1).split(",", -1)) {
                if (item.isBlank()) {
                    continue;
                }
                // by item, not by "something written yet": a leading "" item keeps its comma
                sb.append(first ? "" : ",").append(unquote(item.strip()));
                first = false;
            }
            return sb.toString();
        }
        return v;
    }
}
