package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class XsrfTokenTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] TOKEN = HEX.parseHex("00112233445566778899aabbccddeeff");

    @Test
    void version2IsTheTokenUnderARepeatedFourByteMask() {
        XsrfToken t = XsrfToken.of(TOKEN, 1_700_000_000L);
        String masked = t.masked(HEX.parseHex("ff00ff00"));
        // 00^ff 11^00 22^ff 33^00 ...
        assertThat(masked).isEqualTo("2|ff00ff00|ff11dd33bb559977779955bb33dd11ff|1700000000");
        XsrfToken back = XsrfToken.decode(masked, 0);
        assertThat(back.version()).isEqualTo(2);
        assertThat(back.token()).isEqualTo(TOKEN);
        assertThat(back.timestamp()).isEqualTo(1_700_000_000L);
        assertThat(back.sameToken(t)).isTrue();
    }

    @Test
    void aFreshMaskEveryTimeTheSameToken() {
        XsrfToken t = XsrfToken.generate(1);
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String m = t.masked();
            texts.add(m);
            assertThat(XsrfToken.decode(m, 0).sameToken(t)).isTrue();
        }
        assertThat(texts).hasSizeGreaterThan(45);
        assertThat(XsrfToken.generate(1).sameToken(t)).isFalse();
        assertThat(t.token()).hasSize(XsrfToken.TOKEN_BYTES);
    }

    @Test
    void version1IsHexOrElseTheTextItself() {
        XsrfToken hex = XsrfToken.decode("00112233445566778899AABBCCDDEEFF", 42);
        assertThat(hex.version()).isEqualTo(1);
        assertThat(hex.token()).isEqualTo(TOKEN);
        assertThat(hex.timestamp()).isEqualTo(42);
        assertThat(hex.sameToken(XsrfToken.of(TOKEN, 0))).isTrue();
        assertThat(XsrfToken.of(TOKEN, 0).v1()).isEqualTo("00112233445566778899aabbccddeeff");
        // Tornado reads a non-hex version-1 cookie as its bytes
        assertThat(XsrfToken.decode("not-hex", 0).token()).isEqualTo("not-hex".getBytes(StandardCharsets.UTF_8));
        assertThat(XsrfToken.decode("abc", 0).token()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
        assertThat(XsrfToken.decode("0|abc", 0).token()).isEqualTo("0|abc".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void malformedTokensAreNull() {
        List<String> bad = new ArrayList<>(List.of(
                "", "1|abc", "3|ff00ff00|00|1", "22|ff00ff00|00|1", "2|", "2|ff00ff00", "2|ff00ff00|0011",
                "2|ff00ff00|0011|", "2|ff00ff00|0011|12|", "2|ff00ff00|0011|1|2", "2|ff00ff|0011|1", "2|ff00ff0011|0011|1",
                "2|ff00ff0g|0011|1", "2|ff00ff00|001|1", "2|ff00ff00|00zz|1", "2|ff00ff00||1", "2|ff00ff00|0011|x",
                "2|ff00ff00|0011|-1", "2|ff00ff00|0011|+1", "2|ff00ff00|0011|" + "9".repeat(19), "2|ff00ff00|0011| 1",
                "2|ｆｆ00ff00|0011|1", "2|ff00ff00|００11|1", "2|ff00ff00|0011|１", "9".repeat(300) + "|x",
                "a".repeat(XsrfToken.MAX_LENGTH + 1)));
        bad.add(null);
        for (String b : bad) {
            assertThat(XsrfToken.decode(b, 0)).as(b).isNull();
        }
        assertThat(XsrfToken.decode("x".repeat(XsrfToken.MAX_TOKEN_BYTES), 0)).isNotNull();
        assertThat(XsrfToken.decode("x".repeat(XsrfToken.MAX_TOKEN_BYTES + 1), 0)).isNull();
        assertThat(XsrfToken.decode("é".repeat(XsrfToken.MAX_TOKEN_BYTES / 2 + 1), 0)).as("bytes, not characters").isNull();
        assertThat(XsrfToken.decode("ab".repeat(XsrfToken.MAX_TOKEN_BYTES), 0)).as("hex").isNotNull();
        assertThat(XsrfToken.decode("2|ff00ff00|" + "ab".repeat(XsrfToken.MAX_TOKEN_BYTES) + "|1", 0)).isNotNull();
        assertThat(XsrfToken.decode("2|ff00ff00|" + "ab".repeat(XsrfToken.MAX_TOKEN_BYTES + 1) + "|1", 0)).isNull();
        assertThat(XsrfToken.decode("2|ff00ff00|0011|" + "9".repeat(18), 0)).isNotNull();
    }
}
