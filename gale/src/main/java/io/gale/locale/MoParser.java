package io.gale.locale;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a compiled gettext catalogue ({@code .mo}, GNU gettext's format; what
 * {@code msgfmt} writes and Python's {@code gettext.GNUTranslations} reads): a header of 32-bit
 * words in either byte order (magic {@code 0x950412de}), then two tables of (length, offset)
 * pairs, one for the original strings and one for the translations. A plural entry's msgid is
 * {@code msgid NUL msgid_plural}, its translation the forms separated by NUL.
 *
 * <p>Checks as Python's reader does: the magic number, a major revision of 0 or 1, every table
 * and string inside the file (each string followed by at least one byte, the NUL gettext
 * writes); and more: at most one NUL in a msgid, strings valid in the header's charset (strict
 * decoding; UTF-8 when the header names none, where Python assumes ASCII), and strings that
 * add up to no more than the file (msgfmt never shares them; without this check a small file
 * whose entries all point at one large string would decode into gigabytes). Any failure is a
 * {@link TranslationFormatException}; nothing else is thrown, whatever the bytes. Work and memory
 * are linear in the file's size. Stateless and thread-safe.
 */
final class MoParser {
    static final int MAGIC = 0x950412de;

    private MoParser() {
    }

    /**
     * Parses {@code data}; {@code file} names it in messages.
     *
     * @throws TranslationFormatException if the bytes are not a valid catalogue
     */
    static GettextCatalog parse(byte[] data, String file) throws TranslationFormatException {
        if (data.length > LocaleLimits.MAX_FILE_BYTES) {
            throw new TranslationFormatException(file + ": larger than " + LocaleLimits.MAX_FILE_BYTES + " bytes");
        }
        if (data.length < 20) {
            throw new TranslationFormatException(file + ": too short for a .mo file (" + data.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt(0);
        if (magic != MAGIC) {
            buf.order(ByteOrder.BIG_ENDIAN);
            if (buf.getInt(0) != MAGIC) {
                throw new TranslationFormatException(file + ": bad magic number, not a .mo file");
            }
        }
        long version = Integer.toUnsignedLong(buf.getInt(4));
        if ((version >>> 16) > 1) {
            throw new TranslationFormatException(file + ": unsupported .mo revision " + (version >>> 16));
        }
        long count = Integer.toUnsignedLong(buf.getInt(8));
        long originals = Integer.toUnsignedLong(buf.getInt(12));
        long translations = Integer.toUnsignedLong(buf.getInt(16));
        if (originals + count * 8 > data.length || translations + count * 8 > data.length) {
            throw new TranslationFormatException(file + ": corrupt, " + count + " entries do not fit in "
                    + data.length + " bytes");
        }
        int n = (int) count;
        Slice[] ids = new Slice[n];
        Slice[] strs = new Slice[n];
        long total = 0;
        int header = -1;
        for (int i = 0; i < n; i++) {
            ids[i] = slice(buf, (int) originals + 8 * i, data, file, i);
            strs[i] = slice(buf, (int) translations + 8 * i, data, file, i);
            total += ids[i].length() + strs[i].length();
            if (total > data.length) {
                throw new TranslationFormatException(file + ": corrupt, the strings overlap (they add up to more "
                        + "than the file)");
            }
            if (ids[i].length() == 0) {
                header = i;
            }
        }
        GettextHeader h = header < 0 ? GettextHeader.NONE
                : GettextHeader.parse(decode(data, strs[header], StandardCharsets.UTF_8, file, header), file);
        Map<String, String> singular = new HashMap<>();
        Map<String, List<String>> plural = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (ids[i].length() == 0) {
                continue; // a header entry (the last one counts, as in Python), never a message
            }
            Slice id = ids[i];
            int nul = indexOf(data, id.offset(), id.end());
            if (nul < 0) {
                singular.put(decode(data, id, h.charset(), file, i), decode(data, strs[i], h.charset(), file, i));
                continue;
            }
            if (indexOf(data, nul + 1, id.end()) >= 0) {
                throw new TranslationFormatException(file + ": entry " + i + " has more than two msgids");
            }
            String key = decode(data, new Slice(id.offset(), nul - id.offset()), h.charset(), file, i);
            plural.put(key, forms(data, strs[i], h.charset(), file, i));
        }
        return new GettextCatalog(singular, plural, h.plural());
    }

    /** A string of the file: {@code length} bytes at {@code offset}. */
    private record Slice(int offset, int length) {
        int end() {
            return offset + length;
        }
    }

    private static Slice slice(ByteBuffer buf, int at, byte[] data, String file, int entry)
            throws TranslationFormatException {
        long length = Integer.toUnsignedLong(buf.getInt(at));
        long offset = Integer.toUnsignedLong(buf.getInt(at + 4));
        if (offset + length >= data.length) {
            throw new TranslationFormatException(file + ": corrupt, string of entry " + entry + " ends outside the file");
        }
        return new Slice((int) offset, (int) length);
    }

    private static List<String> forms(byte[] data, Slice s, Charset charset, String file, int entry)
            throws TranslationFormatException {
        List<String> out = new ArrayList<>(4);
        int start = s.offset();
        for (;;) {
            int nul = indexOf(data, start, s.end());
            int end = nul < 0 ? s.end() : nul;
            out.add(decode(data, new Slice(start, end - start), charset, file, entry));
            if (nul < 0) {
                return List.copyOf(out);
            }
            start = nul + 1;
        }
    }

    private static int indexOf(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String decode(byte[] data, Slice s, Charset charset, String file, int entry)
            throws TranslationFormatException {
        try {
            return Decoding.strict(data, s.offset(), s.length(), charset);
        } catch (CharacterCodingException e) {
            throw new TranslationFormatException(file + ": entry " + entry + " is not valid " + charset.name());
        }
    }
}
