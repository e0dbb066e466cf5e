package io.gale.locale;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GNU {@code .mo} files for tests (in either byte order, without the optional hash
 * table), so tests can build valid catalogues msgfmt would make and then break them on purpose.
 */
final class MoWriter {
    private final Map<String, String> entries = new LinkedHashMap<>();
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    MoWriter header(String text) {
        entries.put("", text);
        return this;
    }

    MoWriter utf8Header(String pluralForms) {
        return header("Content-Type: text/plain; charset=UTF-8\n"
                + (pluralForms == null ? "" : "Plural-Forms: " + pluralForms + "\n"));
    }

    MoWriter add(String id, String str) {
        entries.put(id, str);
        return this;
    }

    MoWriter addPlural(String id, String idPlural, String... forms) {
        entries.put(id + "\0" + idPlural, String.join("\0", forms));
        return this;
    }

    MoWriter addContext(String context, String id, String str) {
        entries.put(context + "\u0004" + id, str);
        return this;
    }

    MoWriter bigEndian() {
        order = ByteOrder.BIG_ENDIAN;
        return this;
    }

    byte[] bytes() {
        List<Map.Entry<String, String>> sorted = new ArrayList<>(entries.entrySet());
        sorted.sort(Comparator.comparing(e -> new String(e.getKey().getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1)));
        int n = sorted.size();
        int originals = 28;
        int translations = originals + 8 * n;
        int strings = translations + 8 * n;
        ByteBuffer head = ByteBuffer.allocate(strings).order(order);
        head.putInt(MoParser.MAGIC).putInt(0).putInt(n).putInt(originals).putInt(translations).putInt(0).putInt(strings);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<byte[]> ids = new ArrayList<>();
        List<byte[]> strs = new ArrayList<>();
        for (Map.Entry<String, String> e : sorted) {
            ids.add(e.getKey().getBytes(StandardCharsets.UTF_8));
            strs.add(e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        int offset = strings;
        for (int i = 0; i < n; i++) {
            head.putInt(originals + 8 * i, ids.get(i).length).putInt(originals + 8 * i + 4, offset);
            data.writeBytes(ids.get(i));
            data.write(0);
            offset += ids.get(i).length + 1;
        }
        for (int i = 0; i < n; i++) {
            head.putInt(translations + 8 * i, strs.get(i).length).putInt(translations + 8 * i + 4, offset);
            data.writeBytes(strs.get(i));
            data.write(0);
            offset += strs.get(i).length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.array());
        out.writeBytes(data.toByteArray());
        return out.toByteArray();
    }
}
