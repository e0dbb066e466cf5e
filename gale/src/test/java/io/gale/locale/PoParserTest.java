package io.gale.locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code .po} reader: syntax, msgfmt's selection of entries, and malformed input. */
@Timeout(60)
class PoParserTest {
    private static final String HEADER = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
            + "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n";

    private static GettextCatalog parse(String po) throws TranslationFormatException {
        return PoParser.parse(po.getBytes(StandardCharsets.UTF_8), "t.po");
    }

    /**
     * Found by LocaleFuzzTest#poParser (seed nul-in-msgid): a msgid holding a NUL (raw or
     * escaped) was read, though no .mo can hold it (NUL separates msgid from msgid_plural).
     */
    @Test
    void aNulWhereAMoFileCannotHoldItIsRefused() throws Exception {
        for (String po : List.of("msgid \"a\0b\"\nmsgstr \"x\"\n", "msgid \"a\\0b\"\nmsgstr \"x\"\n",
                "msgctxt \"c\\0\"\nmsgid \"a\"\nmsgstr \"x\"\n",
                "msgid \"a\"\nmsgid_plural \"a\\0s\"\nmsgstr[0] \"x\"\nmsgstr[1] \"y\"\n",
                "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"x\"\nmsgstr[1] \"y\\0z\"\n")) {
            assertThatThrownBy(() -> PoParser.parse(po.getBytes(StandardCharsets.UTF_8), "t.po")).as(po)
                    .isInstanceOf(TranslationFormatException.class).hasMessageContaining("NUL");
        }
        // a singular msgstr may hold one: a .mo keeps it whole
        assertThat(PoParser.parse("msgid \"a\"\nmsgstr \"x\\0y\"\n".getBytes(StandardCharsets.UTF_8), "t.po")
                .translate("a")).isEqualTo("x\0y");
    }

    @Test
    void chineseCatalogue() throws Exception {
        GettextCatalog zh = PoParser.parse(TestCatalogues.po("zh_CN"), "zh");
        assertThat(zh.translate("Sign out")).isEqualTo("退出");
        assertThat(zh.translate("%(n)d comment", "%(n)d comments", 1)).isEqualTo("%(n)d 条评论");
        assertThat(zh.translate("%(n)d comment", "%(n)d comments", 7)).isEqualTo("%(n)d 条评论");
        assertThat(zh.pgettext("organization", "club", "clubs", 2)).isEqualTo("俱乐部");
        assertThat(zh.translate("Draft")).as("fuzzy entries are left out").isEqualTo("Draft");
        assertThat(zh.translate("Untranslated")).isEqualTo("Untranslated");
        assertThat(zh.translate("Obsolete")).isEqualTo("Obsolete");
    }

    @Test
    void syntax() throws Exception {
        GettextCatalog c = parse("\ufeff# a comment\n" + HEADER
                + "#: file.java:12\n#. extracted\n#, c-format, fuzzy\nmsgid \"fuzzy\"\nmsgstr \"F\"\n\n"
                + "#, c-format\nmsgid \"multi\"\n\"line\"\nmsgstr \"\"\n\"joined \"\n  \"text\"\n"
                + "msgid \"esc\"\nmsgstr \"\\t\\\"q\\\"\\\\ \\a\\b\\f\\v\\r\\n \\101\\x42\\x4a\\7 \\? \\'\"\n"
                + "msgctxt \"ctx\"\nmsgid \"m\"\nmsgid_plural \"ms\"\nmsgstr[0] \"one\"\nmsgstr[1] \"many\"\n"
                + "#| msgid \"previous\"\nmsgid \"p\"\nmsgstr \"P\"\n"
                + "#~ msgid \"gone\"\n#~ msgstr \"G\"\n"
                + "msgid \"\\303\\251t\\303\\251\"\nmsgstr \"summer\"\n");
        assertThat(c.translate("fuzzy")).isEqualTo("fuzzy");
        assertThat(c.translate("multiline")).isEqualTo("joined text");
        assertThat(c.translate("esc")).isEqualTo("\t\"q\"\\ \u0007\b\f\u000b\r\n AB\u004a\u0007 ? '");
        assertThat(c.pgettext("ctx", "m", "ms", 1)).isEqualTo("one");
        assertThat(c.pgettext("ctx", "m", "ms", 2)).isEqualTo("many");
        assertThat(c.pgettext("other", "m", "ms", 2)).isEqualTo("ms");
        assertThat(c.translate("p")).isEqualTo("P");
        assertThat(c.translate("gone")).isEqualTo("gone");
        assertThat(c.translate("été")).as("octal escapes are bytes of the charset").isEqualTo("summer");
    }

    @Test
    void firstFormEmptyMeansUntranslated() throws Exception {
        GettextCatalog c = parse(HEADER + "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"\"\nmsgstr[1] \"AS\"\n\n"
                + "msgid \"b\"\nmsgid_plural \"bs\"\nmsgstr[0] \"B\"\nmsgstr[1] \"\"\n");
        assertThat(c.translate("a", "as", 2)).isEqualTo("as");
        assertThat(c.translate("b", "bs", 2)).isEmpty(); // kept, as msgfmt keeps it
    }

    @Test
    void headerCharset() throws Exception {
        byte[] latin1 = ("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n\nmsgid \"a\"\nmsgstr \"\u00e9\"\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(PoParser.parse(latin1, "t").translate("a")).isEqualTo("\u00e9");
        byte[] wrong = "msgid \"a\"\nmsgstr \"\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> PoParser.parse(wrong, "t.po")).hasMessageContaining("t.po:1: string is not valid UTF-8");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "msgstr \"x\"|t.po:1: msgstr out of place",
            "msgid \"a\"|t.po:1: entry without msgstr",
            "msgid \"a\"~msgid \"b\"~msgstr \"x\"|t.po:2: msgid before the msgstr",
            "msgid \"a\"~msgstr \"x\"~msgstr \"y\"|t.po:3: msgstr out of place",
            "msgid \"a\"~msgstr \"x|t.po:2: string without its closing quote",
            "msgid \"a\\\"~msgstr \"x\"|t.po:1: string without its closing quote",
            "msgid a~msgstr \"x\"|t.po:1: expected a string in quotes",
            "msgid \"a\" x~msgstr \"x\"|t.po:1: text after the string",
            "msgid \"a\\q\"~msgstr \"x\"|t.po:1: unknown escape \\q",
            "msgid \"a\\x\"~msgstr \"x\"|t.po:1: \\x without hex digits",
            "msgidx \"a\"~msgstr \"x\"|t.po:1: unknown keyword \"msgidx\"",
            "\"orphan\"|t.po:1: string without a keyword",
            "msgid \"a\"~msgid_plural \"as\"~msgstr \"x\"|t.po:3: msgstr out of place (a plural entry needs msgstr[N])",
            "msgid \"a\"~msgstr[0] \"x\"|t.po:2: msgstr[0] without msgid_plural",
            "msgid \"a\"~msgid_plural \"as\"~msgstr[1] \"x\"|t.po:3: msgstr[1] out of sequence",
            "msgid \"a\"~msgid_plural \"as\"~msgstr[0] \"x\"~msgstr[0] \"y\"|t.po:4: msgstr[0] out of sequence",
            "msgid \"a\"~msgid_plural \"as\"~msgid_plural \"bs\"|t.po:3: msgid_plural out of place",
            "msgid \"a\"~msgstr[x] \"y\"|t.po:2: unknown keyword \"msgstr[x]\"",
            "msgid \"a\"~msgstr \"x\"~msgid \"a\"~msgstr \"y\"|t.po:3: duplicate message definition (first at line 1)",
            "msgctxt \"c\"~msgctxt \"d\"~msgid \"a\"~msgstr \"y\"|t.po:2: msgctxt before the msgstr",
            "msgid \"\"~msgstr \"Plural-Forms: nplurals=2; plural=n ? ;\\n\"|invalid plural expression",
            "msgid \"\"~msgstr \"Content-Type: text/plain; charset=NOPE-1\\n\"|unknown charset \"NOPE-1\"",
    })
    void malformed(String po, String message) {
        assertThatThrownBy(() -> parse(po.replace("~", "\n"))).isInstanceOf(TranslationFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void everyTruncationAndByteFlipIsAValueOrAFormatError() throws Exception {
        byte[] file = TestCatalogues.po("pl_PL");
        for (int len = 0; len <= file.length; len++) {
            parseOrFormatError(Arrays.copyOf(file, len));
        }
        for (int i = 0; i < file.length; i++) {
            for (byte b : List.of((byte) '"', (byte) '\\', (byte) '\n', (byte) 0, (byte) 0xff, (byte) '#', (byte) '[')) {
                byte[] changed = file.clone();
                changed[i] = b;
                parseOrFormatError(changed);
            }
        }
    }

    static void parseOrFormatError(byte[] data) {
        try {
            PoParser.parse(data, "x");
        } catch (TranslationFormatException expected) {
            assertThat(expected.getMessage()).startsWith("x");
        }
    }
}
