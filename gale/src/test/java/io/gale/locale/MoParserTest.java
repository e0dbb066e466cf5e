package io.gale.locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code .mo} reader: the msgfmt-compiled test catalogues, both byte orders, and broken files. */
@Timeout(60)
class MoParserTest {
    @Test
    void eachCompiledCatalogueHoldsWhatItsPoSays() throws Exception {
        for (String code : TestCatalogues.GETTEXT) {
            GettextCatalog mo = MoParser.parse(TestCatalogues.mo(code), code + ".mo");
            GettextCatalog po = PoParser.parse(TestCatalogues.po(code), code + ".po");
            assertThat(mo).as(code + ": .mo (msgfmt) and .po (ours) agree; regenerate the .mo if this fails")
                    .isEqualTo(po);
            assertThat(mo.singular()).doesNotContainKeys("", "Draft", "Untranslated", "Obsolete");
        }
    }

    @Test
    void frenchCatalogue() throws Exception {
        GettextCatalog fr = MoParser.parse(TestCatalogues.mo("fr_FR"), "fr");
        assertThat(fr.translate("Sign out")).isEqualTo("Se déconnecter");
        assertThat(fr.translate("Say \"hi\"\n")).isEqualTo("Dites «\u00a0salut\u00a0»\n");
        assertThat(fr.translate("%(n)d comment", "%(n)d comments", 0)).isEqualTo("%(n)d commentaire"); // French: 0 is singular
        assertThat(fr.translate("%(n)d comment", "%(n)d comments", 2)).isEqualTo("%(n)d commentaires");
        assertThat(fr.pgettext("law", "right")).isEqualTo("droit");
        assertThat(fr.pgettext("direction", "right")).isEqualTo("droite");
        assertThat(fr.pgettext("sports", "right")).isEqualTo("right");
        assertThat(fr.pgettext("stick", "club", "clubs", 3)).isEqualTo("massues");
        assertThat(fr.rule().toString()).isEqualTo("(n > 1)");
    }

    /**
     * Found by LocaleFuzzTest#moParser (seed two-header-entries): with two entries of empty msgid,
     * all but the last (the header read) were kept as the message "", so translate("") gave a
     * header and a catalogue of headers alone was not empty.
     */
    @Test
    void noEntryOfEmptyMsgidIsAMessage() throws Exception {
        byte[] mo = new MoWriter().utf8Header(null).add("a", "Language: x").bytes();
        ByteBuffer.wrap(mo).order(ByteOrder.LITTLE_ENDIAN).putInt(28 + 8, 0); // entry 1's msgid "a" -> ""
        GettextCatalog c = MoParser.parse(mo, "t.mo");
        assertThat(c.translate("")).isEmpty();
        assertThat(c.isEmpty()).isTrue();
    }

    @Test
    void bothByteOrders() throws Exception {
        MoWriter w = new MoWriter().utf8Header("nplurals=2; plural=(n != 1);").add("a", "ä").addPlural("x", "xs", "X", "XS")
                .addContext("c", "a", "Ä");
        GettextCatalog le = MoParser.parse(w.bytes(), "le");
        GettextCatalog be = MoParser.parse(w.bigEndian().bytes(), "be");
        assertThat(be).isEqualTo(le);
        assertThat(be.translate("a")).isEqualTo("ä");
        assertThat(be.translate("x", "xs", 5)).isEqualTo("XS");
        assertThat(be.pgettext("c", "a")).isEqualTo("Ä");
    }

    @Test
    void pythonLookupRules() throws Exception {
        GettextCatalog c = MoParser.parse(new MoWriter().utf8Header("nplurals=2; plural=(n != 1);")
                .addPlural("file", "files", "Datei", "Dateien").bytes(), "t");
        assertThat(c.translate("file")).as("a plural entry is not found by the singular lookup (Python)").isEqualTo("file");
        assertThat(c.translate("")).isEmpty();
        assertThat(c.translate("nope", "nopes", 1)).isEqualTo("nope");
        assertThat(c.translate("nope", "nopes", 2)).isEqualTo("nopes");
        // A rule that selects a form the entry lacks: the untranslated fallback.
        GettextCatalog three = MoParser.parse(new MoWriter().utf8Header("nplurals=3; plural=n;")
                .addPlural("file", "files", "A", "B").bytes(), "t");
        assertThat(three.translate("file", "files", 2)).isEqualTo("files");
        assertThat(three.translate("file", "files", 1)).isEqualTo("B");
    }

    @Test
    void headerlessCatalogueIsUtf8AndGermanic() throws Exception {
        GettextCatalog c = MoParser.parse(new MoWriter().addPlural("day", "days", "Tag", "Tage").add("ü", "ue").bytes(), "t");
        assertThat(c.translate("day", "days", 1)).isEqualTo("Tag");
        assertThat(c.translate("day", "days", 0)).isEqualTo("Tage");
        assertThat(c.translate("ü")).isEqualTo("ue");
    }

    @Test
    void latin1Charset() throws Exception {
        byte[] mo = new MoWriter().header("Content-Type: text/plain; charset=ISO-8859-1\n").add("x", "\u00e9").bytes();
        // MoWriter writes UTF-8: é is two bytes, read as Latin-1 it is two characters.
        assertThat(MoParser.parse(mo, "t").translate("x")).isEqualTo("\u00c3\u00a9");
    }

    @Test
    void malformedFiles() {
        byte[] good = new MoWriter().utf8Header("nplurals=2; plural=(n != 1);").add("a", "b").bytes();
        refused(new byte[0], "too short");
        refused(Arrays.copyOf(good, 19), "too short");
        byte[] magic = good.clone();
        magic[0] = 0;
        refused(magic, "bad magic");
        byte[] version = good.clone();
        ByteBuffer.wrap(version).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2 << 16);
        refused(version, "revision 2");
        byte[] count = good.clone();
        ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7fffffff);
        refused(count, "do not fit");
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -1);
        refused(huge, "do not fit");
        byte[] offset = good.clone();
        ByteBuffer.wrap(offset).order(ByteOrder.LITTLE_ENDIAN).putInt(28 + 8 + 4, good.length);
        refused(offset, "outside the file");
        byte[] length = good.clone();
        ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).putInt(28 + 8, -1);
        refused(length, "outside the file");
        byte[] noNulAfter = Arrays.copyOf(good, good.length - 1); // the last string's NUL cut off
        refused(noNulAfter, "outside the file");
        refused(new MoWriter().utf8Header(null).add("a\0b\0c", "x").bytes(), "more than two msgids");
        refused(new MoWriter().header("Content-Type: text/plain; charset=CHARSET\n").add("a", "b").bytes(), "unknown charset");
        refused(new MoWriter().utf8Header("nplurals=2; plural=n +;").add("a", "b").bytes(), "invalid plural expression");
        refused(new MoWriter().utf8Header("nplurals=2; plural=" + "(".repeat(30) + "n" + ")".repeat(30) + ";").bytes(),
                "nested deeper");
        byte[] badUtf8 = new MoWriter().utf8Header(null).add("a", "b").bytes();
        badUtf8[badUtf8.length - 2] = (byte) 0xff; // the translation "b"
        refused(badUtf8, "not valid UTF-8");
    }

    @Test
    void overlappingStringsCannotAmplifyMemory() {
        // 1,000 entries whose translations all point at one 10 KB string: 10 MB of text from a 26 KB file.
        int n = 1000;
        int big = 10_000;
        int strings = 28 + 16 * n;
        ByteBuffer b = ByteBuffer.allocate(strings + n * 8 + big + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MoParser.MAGIC).putInt(0).putInt(n).putInt(28).putInt(28 + 8 * n).putInt(0).putInt(0);
        int idAt = strings;
        for (int i = 0; i < n; i++) {
            b.putInt(28 + 8 * i, 7).putInt(28 + 8 * i + 4, idAt + 8 * i);
            b.put(idAt + 8 * i, String.format("id%05d", i).getBytes(StandardCharsets.US_ASCII));
            b.putInt(28 + 8 * n + 8 * i, big).putInt(28 + 8 * n + 8 * i + 4, idAt + 8 * n);
        }
        refused(b.array(), "overlap");
    }

    @Test
    void everyTruncationAndByteFlipIsAValueOrAFormatError() throws Exception {
        for (byte[] file : List.of(TestCatalogues.mo("fr_FR"), new MoWriter().utf8Header(null).add("a", "b").bigEndian().bytes())) {
            for (int len = 0; len <= file.length; len++) {
                parseOrFormatError(Arrays.copyOf(file, len));
            }
            for (int i = 0; i < Math.min(file.length, 400); i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] flipped = file.clone();
                    flipped[i] ^= (byte) (1 << bit);
                    parseOrFormatError(flipped);
                }
            }
        }
    }

    static void parseOrFormatError(byte[] data) {
        try {
            MoParser.parse(data, "x");
        } catch (TranslationFormatException expected) {
            assertThat(expected.getMessage()).startsWith("x");
        }
    }

    private static void refused(byte[] data, String message) {
        assertThatThrownBy(() -> MoParser.parse(data, "bad.mo")).isInstanceOf(TranslationFormatException.class)
                .hasMessageStartingWith("bad.mo").hasMessageContaining(message);
    }
}
