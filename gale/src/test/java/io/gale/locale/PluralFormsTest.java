package io.gale.locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class PluralFormsTest {
    private static List<Integer> indices(String expression, int upTo) throws Exception {
        PluralForms p = PluralForms.parse(expression);
        List<Integer> out = new ArrayList<>();
        for (int n = 0; n <= upTo; n++) {
            out.add(p.index(n));
        }
        return out;
    }

    @Test
    void germanicAndFrench() throws Exception {
        assertThat(indices("n != 1", 3)).containsExactly(1, 0, 1, 1);
        assertThat(PluralForms.GERMANIC.index(1)).isZero();
        assertThat(PluralForms.GERMANIC.index(7)).isOne();
        assertThat(indices("(n > 1)", 3)).containsExactly(0, 0, 1, 1);
        assertThat(indices("0", 2)).containsExactly(0, 0, 0);
    }

    @Test
    void polish() throws Exception {
        PluralForms p = PluralForms.fromHeader(
                "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);");
        assertThat(p.index(1)).isEqualTo(0);
        assertThat(List.of(p.index(2), p.index(3), p.index(4), p.index(22), p.index(104))).containsOnly(1);
        assertThat(List.of(p.index(0), p.index(5), p.index(11), p.index(12), p.index(14), p.index(25), p.index(112)))
                .containsOnly(2);
    }

    @Test
    void arabicSixForms() throws Exception {
        PluralForms p = PluralForms.parse("n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
                + ": n%100>=11 ? 4 : 5");
        assertThat(List.of(p.index(0), p.index(1), p.index(2), p.index(3), p.index(10), p.index(11), p.index(99),
                p.index(100), p.index(102), p.index(103))).containsExactly(0, 1, 2, 3, 3, 4, 4, 5, 5, 3);
    }

    @Test
    void russian() throws Exception {
        PluralForms p = PluralForms.parse("(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)");
        assertThat(List.of(p.index(1), p.index(21), p.index(11), p.index(2), p.index(24), p.index(12), p.index(5)))
                .containsExactly(0, 0, 2, 1, 1, 2, 2);
    }

    @Test
    void precedenceAndAssociativityAsInC() throws Exception {
        assertThat(PluralForms.parse("1 + 2 * 3").index(0)).isEqualTo(7);
        assertThat(PluralForms.parse("(1 + 2) * 3").index(0)).isEqualTo(9);
        assertThat(PluralForms.parse("10 - 4 - 3").index(0)).isEqualTo(3);
        assertThat(PluralForms.parse("n / 2 / 2").index(9)).isEqualTo(2);
        assertThat(PluralForms.parse("1 ? 2 : 0 ? 3 : 4").index(0)).isEqualTo(2); // right-associative ?:
        assertThat(PluralForms.parse("0 ? 2 : 0 ? 3 : 4").index(0)).isEqualTo(4);
        assertThat(PluralForms.parse("n < 2 == 1").index(1)).isEqualTo(1); // (n < 2) == 1
        assertThat(PluralForms.parse("!n").index(0)).isEqualTo(1);
        assertThat(PluralForms.parse("!n == 1").index(0)).isEqualTo(1); // C: (!n) == 1; Python's c2py reads not (n == 1)
        assertThat(PluralForms.parse("!!n").index(5)).isEqualTo(1);
        assertThat(PluralForms.parse("n >= 2 && 5").index(3)).isEqualTo(1); // C: 0 or 1, not the operand
        assertThat(PluralForms.parse("0 || n").index(7)).isEqualTo(1);
    }

    @Test
    void evaluationFailuresGiveMinusOne() throws Exception {
        assertThat(PluralForms.parse("n / 0").index(5)).isEqualTo(-1);
        assertThat(PluralForms.parse("n % 0").index(5)).isEqualTo(-1);
        assertThat(PluralForms.parse("n * 9223372036854775807").index(2)).isEqualTo(-1);
        assertThat(PluralForms.parse("n - 2").index(0)).isEqualTo(-1); // a negative form index
        assertThat(PluralForms.parse("0 && n / 0").index(5)).isZero(); // short-circuit, as C
    }

    /** Found by LocaleFuzzTest#pluralForms (seed floor-division-overflow): Long.MIN_VALUE / -1 wrapped silently. */
    @Test
    void theOneDivisionOverflowGivesMinusOneToo() throws Exception {
        assertThat(PluralForms.parse("!(n / (0 - 1))").index(Long.MIN_VALUE)).isEqualTo(-1);
        assertThat(PluralForms.parse("!(n / (0 - 1))").index(Long.MAX_VALUE)).isZero();
        assertThat(PluralForms.parse("n % (0 - 1)").index(Long.MIN_VALUE)).isZero(); // exact: no overflow
    }

    @Test
    void negativeCountsDivideAsPython() throws Exception {
        // Tornado evaluates through Python, whose // and % round towards negative infinity.
        assertThat(PluralForms.parse("n % 10").index(-1)).isEqualTo(9);
        assertThat(PluralForms.parse("(n / 10) + 5").index(-1)).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "n +", "(n", "n)", "n ? 1", "n ? 1 :", "x", "n1", "1n", "nn", "n = 1", "n & 1", "n | 1",
            "n ! 1", "-1", "n ** 2", "n ^ 1", "99999999999999999999", "n ; 1", "()", "n ? : 1", "n 1", "'n'", "n\u00a0",
            "n == 1 ? 0 : 1 2"})
    void malformedExpressionsAreRefused(String expression) {
        assertThatThrownBy(() -> PluralForms.parse(expression)).isInstanceOf(TranslationFormatException.class)
                .hasMessageContaining("plural expression");
    }

    @Test
    void limits() throws Exception {
        String deep20 = "(".repeat(19) + "n" + ")".repeat(19);
        assertThat(PluralForms.parse(deep20).index(3)).isEqualTo(3);
        assertThatThrownBy(() -> PluralForms.parse("(".repeat(21) + "n" + ")".repeat(21)))
                .hasMessageContaining("nested deeper than 20");
        assertThatThrownBy(() -> PluralForms.parse("!".repeat(30) + "n")).hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> PluralForms.parse("n" + " + n".repeat(250))).hasMessageContaining("longer than 1000");
        // A long flat chain within the length limit is fine.
        assertThat(PluralForms.parse("n" + " + n".repeat(240)).index(1)).isEqualTo(241);
    }

    @Test
    void headerForms() throws Exception {
        assertThat(PluralForms.fromHeader("nplurals=2; plural=n != 1;").index(1)).isZero();
        assertThat(PluralForms.fromHeader("nplurals=2; plural=(n > 1)").index(2)).isOne();
        assertThatThrownBy(() -> PluralForms.fromHeader("nplurals=2;")).hasMessageContaining("without plural=");
        assertThatThrownBy(() -> PluralForms.fromHeader("nplurals=2; plural=n !! 1;"))
                .isInstanceOf(TranslationFormatException.class);
    }
}
