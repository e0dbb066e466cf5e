package io.gale.demos.fileupload;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Turns a client's file name into one that is safe to create in the upload directory.
 * Stateless and thread-safe.
 *
 * <p>The rules, in order:
 * <ol>
 * <li>only the last path segment counts: everything up to the last {@code /} or {@code \} is
 *     dropped (browsers on Windows once sent whole paths; {@code ../x} is {@code x});
 * <li>Unicode is normalised to NFC, so one name has one spelling;
 * <li>control characters (NUL included), format characters (such as the right-to-left override
 *     that makes {@code exe.txt} look like {@code txt.exe}), unpaired surrogates and
 *     {@code < > : " | ? *} become {@code _};
 * <li>leading dots and spaces are removed (no hidden files, no {@code .} or {@code ..}), and
 *     trailing dots and spaces;
 * <li>an empty result becomes {@value #FALLBACK};
 * <li>the name is cut to {@value #MAX_BYTES} bytes of UTF-8 (the usual file-system limit) on a
 *     character boundary, keeping an extension of up to {@value #MAX_EXTENSION} characters.
 * </ol>
 *
 * <p>A sanitised name therefore never starts with a dot: the upload directory's temporary files
 * ({@code .upload-*.part}) cannot be named by a client.
 */
final class FileNames {
    /** Longest name in UTF-8 bytes (ext4, XFS, btrfs: 255). */
    static final int MAX_BYTES = 255;
    /** Longest extension (after the last dot) kept when a name is cut. */
    static final int MAX_EXTENSION = 16;
    /** The name of a file whose name sanitises to nothing. */
    static final String FALLBACK = "upload";

    private FileNames() {
    }

    /** The safe form of {@code name} (null counts as empty). */
    static String sanitise(String name) {
        String s = name == null ? "" : name;
        s = s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
        s = Normalizer.normalize(s, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            out.appendCodePoint(allowed(cp) ? cp : '_');
        }
        int start = 0;
        while (start < out.length() && (out.charAt(start) == '.' || out.charAt(start) == ' ')) {
            start++;
        }
        int end = out.length();
        while (end > start && (out.charAt(end - 1) == '.' || out.charAt(end - 1) == ' ')) {
            end--;
        }
        String clean = out.substring(start, end);
        return clean.isEmpty() ? FALLBACK : shorten(clean);
    }

    private static boolean allowed(int cp) {
        int type = Character.getType(cp);
        if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
            return false;
        }
        return "<>:\"|?*".indexOf(cp) < 0;
    }

    /** Cuts {@code name} to {@link #MAX_BYTES} UTF-8 bytes, keeping a short extension. */
    private static String shorten(String name) {
        if (utf8Length(name) <= MAX_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot - 1 <= MAX_EXTENSION ? name.substring(dot) : "";
        String stem = name.substring(0, name.length() - ext.length());
        int budget = MAX_BYTES - utf8Length(ext);
        StringBuilder cut = new StringBuilder();
        int used = 0;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            int n = utf8Length(new String(Character.toChars(cp)));
            if (used + n > budget) {
                break;
            }
            cut.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        String result = cut.toString().strip() + ext;
        return result.isEmpty() || result.startsWith(".") ? FALLBACK + ext : result;
    }

    /**
     * {@code safeName} (a result of {@link #sanitise}) with {@code -n} before its extension,
     * shortened to stay within {@link #MAX_BYTES}: {@code report.pdf} becomes {@code report-2.pdf}.
     */
    static String numbered(String safeName, int n) {
        String suffix = "-" + n;
        int dot = safeName.lastIndexOf('.');
        String ext = dot > 0 && safeName.length() - dot - 1 <= MAX_EXTENSION ? safeName.substring(dot) : "";
        String stem = safeName.substring(0, safeName.length() - ext.length());
        while (utf8Length(stem + suffix + ext) > MAX_BYTES) {
            stem = stem.substring(0, stem.offsetByCodePoints(stem.length(), -1));
        }
        return stem + suffix + ext;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
