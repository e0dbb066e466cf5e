package io.gale.locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tornado's CSV translation format, read as Python's csv module reads it. */
@Timeout(60)
class CsvParserTest {
    private static List<List<String>> rows(String text) {
        CsvParser.Rows r = new CsvParser.Rows(text);
        List<List<String>> out = new ArrayList<>();
        for (List<String> row = r.next(); row != null; row = r.next()) {
            out.add(row);
        }
        return out;
    }

    @Test
    void csvDialectAsPython() {
        // Each expectation is what Python 3.11's csv.reader gives for the same text in text mode.
        assertThat(rows("a,b\n")).containsExactly(List.of("a", "b"));
        assertThat(rows("\"a,b\",\"c\"\"d\"\n")).containsExactly(List.of("a,b", "c\"d"));
        assertThat(rows("\"multi\nline\",x")).containsExactly(List.of("multi\nline", "x"));
        assertThat(rows("\"ab\"cd,e\n\n\nx")).containsExactly(List.of("abcd", "e"), List.of(), List.of(), List.of("x"));
        assertThat(rows("a\"b,c")).containsExactly(List.of("a\"b", "c"));
        assertThat(rows("\"abc,def\n")).containsExactly(List.of("abc,def\n"));
        assertThat(rows("a,\n,b\n,")).containsExactly(List.of("a", ""), List.of("", "b"), List.of("", ""));
        assertThat(rows("a,b\r\nc,d\re")).containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
        assertThat(rows("a\u0000b,c")).containsExactly(List.of("a\u0000b", "c"));
        assertThat(rows(" \"a\" , b")).containsExactly(List.of(" \"a\" ", " b"));
        assertThat(rows("")).isEmpty();
    }

    /** Tornado strips fields with Python's str.strip(), which takes no-break spaces and U+0085 too. */
    @Test
    void fieldsAreStrippedAsPythonStripsThem() throws Exception {
        CsvCatalog c = CsvParser.parse("\u00a0hello\u2007,\u202fbonjour\u0085\u3000, plural\u00a0\n\u001cx\u001f,y\n"
                .getBytes(StandardCharsets.UTF_8), null, "fr.csv");
        // what Python 3's csv.reader plus str.strip() gives for the same text
        assertThat(c.tables()).isEqualTo(Map.of("plural", Map.of("hello", "bonjour"), "unknown", Map.of("x", "y"),
                "singular", Map.of()));
    }

    @Test
    void tables() throws Exception {
        CsvCatalog c = CsvParser.parse(("\"I love you\",\"Te amo\"\n"
                + "\"%(name)s liked this\",\"A %(name)s les gustó esto\",\"plural\"\n"
                + "\"%(name)s liked this\",\"A %(name)s le gustó esto\",\"singular\"\n"
                + " spaced , stripped ,\n"
                + "\"one column\"\n"
                + "\"x\",\"y\",\"dual\"\n"
                + "\"a\",\"b\",\"unknown\",\"extra\"\n").getBytes(StandardCharsets.UTF_8), null, "es.csv");
        assertThat(c.tables()).isEqualTo(Map.of(
                "unknown", Map.of("I love you", "Te amo", "spaced", "stripped", "a", "b"),
                "plural", Map.of("%(name)s liked this", "A %(name)s les gustó esto"),
                "singular", Map.of("%(name)s liked this", "A %(name)s le gustó esto")));
        assertThat(c.translate("%(name)s liked this", "%(name)s liked this", 1)).isEqualTo("A %(name)s le gustó esto");
        assertThat(c.translate("%(name)s liked this", "%(name)s liked this", 0)).isEqualTo("A %(name)s les gustó esto");
        assertThat(c.translate("x")).isEqualTo("x"); // the row with the unknown indicator was skipped
        assertThat(c.pgettext("ctx", "I love you")).isEqualTo("Te amo"); // contexts ignored (warned once)
    }

    @Test
    void encodings() throws Exception {
        String text = "\"Sign out\",\"退出\"\n";
        for (Charset cs : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            byte[] bom = cs == StandardCharsets.UTF_16LE ? new byte[] {(byte) 0xff, (byte) 0xfe} : new byte[] {(byte) 0xfe, (byte) 0xff};
            byte[] body = text.getBytes(cs);
            byte[] all = Arrays.copyOf(bom, 2 + body.length);
            System.arraycopy(body, 0, all, 2, body.length);
            assertThat(CsvParser.parse(all, null, "zh.csv").translate("Sign out")).as(cs.name()).isEqualTo("退出");
        }
        byte[] sig = ("\ufeff" + text).getBytes(StandardCharsets.UTF_8);
        assertThat(CsvParser.parse(sig, null, "zh.csv").translate("Sign out")).isEqualTo("退出");
        byte[] gbk = text.getBytes(Charset.forName("GBK"));
        assertThat(CsvParser.parse(gbk, Charset.forName("GBK"), "zh.csv").translate("Sign out")).isEqualTo("退出");
        assertThatThrownBy(() -> CsvParser.parse(gbk, null, "zh.csv")).isInstanceOf(TranslationFormatException.class)
                .hasMessage("zh.csv: not valid UTF-8 (detected from its byte order mark or its absence)");
        byte[] oddUtf16 = {(byte) 0xff, (byte) 0xfe, 0x41};
        assertThatThrownBy(() -> CsvParser.parse(oddUtf16, null, "x.csv")).hasMessageContaining("not valid UTF-16");
    }

    @Test
    void testCataloguesLoad() throws Exception {
        for (String code : TestCatalogues.BOTH) {
            assertThat(CsvParser.parse(TestCatalogues.csv(code), null, code).isEmpty()).isFalse();
        }
    }

    @Test
    void anyBytesGiveAValueOrAFormatError() throws Exception {
        byte[] file = TestCatalogues.csv("fr_FR");
        for (int len = 0; len <= file.length; len += 7) {
            parseOrFormatError(Arrays.copyOf(file, len));
        }
        for (int i = 0; i < file.length; i += 3) {
            for (byte b : List.of((byte) '"', (byte) ',', (byte) '\n', (byte) '\r', (byte) 0, (byte) 0xc3, (byte) 0xff)) {
                byte[] changed = file.clone();
                changed[i] = b;
                parseOrFormatError(changed);
            }
        }
    }

    static void parseOrFormatError(byte[] data) {
        try {
            CsvParser.parse(data, null, "x");
        } catch (TranslationFormatException expected) {
            assertThat(expected.getMessage()).startsWith("x");
        }
    }
}
