package io.gale.demos.fileupload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile and ordinary client file names, and the numbered variants of a taken name. */
@Timeout(10)
class FileNamesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "photo.jpg|photo.jpg",
        "../x|x",
        "../../etc/passwd|passwd",
        "..|upload",
        ".|upload",
        "/|upload",
        "dir/|upload",
        "C:\\Users\\ann\\report.pdf|report.pdf",
        "..\\..\\boot.ini|boot.ini",
        ".bashrc|bashrc",
        "...hidden...|hidden",
        "  spaced name  .txt  |spaced name  .txt",
        "résumé.pdf|résumé.pdf",
        "日本語のファイル.txt|日本語のファイル.txt",
        "emoji-😀.png|emoji-😀.png",
    })
    void sanitises(String in, String expected) {
        assertThat(FileNames.sanitise(in)).isEqualTo(expected);
    }

    @Test
    void controlAndFormatCharactersBecomeUnderscores() {
        assertThat(FileNames.sanitise("a\u0000b.txt")).isEqualTo("a_b.txt");
        assertThat(FileNames.sanitise("line\r\nbreak\t.txt")).isEqualTo("line__break_.txt");
        assertThat(FileNames.sanitise("del\u007f\u0085.txt")).isEqualTo("del__.txt");
        // the right-to-left override would show "photo\u202Egpj.exe" as "photoexe.jpg"
        assertThat(FileNames.sanitise("photo\u202Egpj.exe")).isEqualTo("photo_gpj.exe");
        assertThat(FileNames.sanitise("zero\u200bwidth")).isEqualTo("zero_width");
        assertThat(FileNames.sanitise("lone\ud800surrogate")).isEqualTo("lone_surrogate");
        assertThat(FileNames.sanitise("\u0000")).isEqualTo("_");
        assertThat(FileNames.sanitise("a<b>c:d\"e|f?g*h.txt")).isEqualTo("a_b_c_d_e_f_g_h.txt");
        assertThat(FileNames.sanitise(null)).isEqualTo("upload");
        assertThat(FileNames.sanitise("")).isEqualTo("upload");
    }

    @Test
    void unicodeIsNormalisedToNfc() {
        String decomposed = Normalizer.normalize("café.txt", Normalizer.Form.NFD);
        assertThat(decomposed).isNotEqualTo("café.txt");
        assertThat(FileNames.sanitise(decomposed)).isEqualTo("café.txt");
    }

    @Test
    void longNamesAreCutToTheByteLimitKeepingTheExtension() {
        String ascii = FileNames.sanitise("a".repeat(1000) + ".tar.gz");
        assertThat(ascii.getBytes(StandardCharsets.UTF_8)).hasSize(FileNames.MAX_BYTES);
        assertThat(ascii).endsWith("a.gz").startsWith("aaaa");

        // three bytes per character: cut on a character boundary, never inside one
        String cjk = FileNames.sanitise("日".repeat(200) + ".txt");
        assertThat(cjk).endsWith(".txt").matches("日+\\.txt");
        assertThat(cjk.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FileNames.MAX_BYTES)
                .isGreaterThan(FileNames.MAX_BYTES - 3);

        // four-byte characters (surrogate pairs in Java) are never split
        String emoji = FileNames.sanitise("😀".repeat(100));
        assertThat(emoji.codePoints().allMatch(cp -> cp == 0x1F600)).isTrue();
        assertThat(emoji.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(FileNames.MAX_BYTES);

        // an "extension" too long to be one is cut with the rest
        String longExt = FileNames.sanitise("x." + "e".repeat(400));
        assertThat(longExt.getBytes(StandardCharsets.UTF_8)).hasSize(FileNames.MAX_BYTES);
        assertThat(longExt).startsWith("x.eee");
    }

    @Test
    void aSanitisedNameNeverStartsWithADot() {
        for (String hostile : new String[] {".upload-0123.part", "./.upload-x.part", " .x", "..\u0000..x"}) {
            assertThat(FileNames.sanitise(hostile)).doesNotStartWith(".");
        }
    }

    /** Random names from a hostile alphabet: every result keeps the invariants the store relies on. */
    @Test
    void invariantsHoldForRandomHostileNames() {
        String[] alphabet = {"a", "Z", "0", ".", "..", "/", "\\", " ", "\u0000", "\r", "\n", "\u202e", "\u200b",
            "\ud800", "\udc00", "é", "e\u0301", "日", "😀", "\"", "<", ":", "*", "?", "|", "-", "_", "~", "\u0085"};
        java.util.Random random = new java.util.Random(14);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(i % 100 == 0 ? 400 : 20);
            for (int k = 0; k < n; k++) {
                b.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String in = b.toString();
            String out = FileNames.sanitise(in);
            assertThat(out).as("%s", in.codePoints().mapToObj(Integer::toHexString).toList())
                    .isNotEmpty()
                    .doesNotStartWith(".")
                    .doesNotContain("/", "\\", "\u0000", "\r", "\n", "\u202e", "<", "\"")
                    .isEqualTo(Normalizer.normalize(out, Normalizer.Form.NFC))
                    .isNotIn(".", "..");
            assertThat(out.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FileNames.MAX_BYTES);
            assertThat(out.codePoints().noneMatch(cp -> Character.getType(cp) == Character.SURROGATE)).isTrue();
            assertThat(FileNames.sanitise(out)).as("idempotent").isEqualTo(out);
            String numbered = FileNames.numbered(out, random.nextInt(10_000) + 1);
            assertThat(numbered.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FileNames.MAX_BYTES);
            assertThat(numbered).doesNotStartWith(".").isNotEqualTo(out);
        }
    }

    @Test
    void numberedNamesGoBeforeTheExtensionAndStayWithinTheLimit() {
        assertThat(FileNames.numbered("report.pdf", 1)).isEqualTo("report-1.pdf");
        assertThat(FileNames.numbered("README", 12)).isEqualTo("README-12");
        assertThat(FileNames.numbered("archive.tar.gz", 2)).isEqualTo("archive.tar-2.gz");
        String full = FileNames.sanitise("b".repeat(300) + ".txt");
        String numbered = FileNames.numbered(full, 123);
        assertThat(numbered).endsWith("b-123.txt");
        assertThat(numbered.getBytes(StandardCharsets.UTF_8)).hasSize(FileNames.MAX_BYTES);
        String unicode = FileNames.numbered(FileNames.sanitise("日".repeat(100)), 7);
        assertThat(unicode).matches("日+-7");
        assertThat(unicode.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FileNames.MAX_BYTES);
    }
}
