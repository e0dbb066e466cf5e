package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AccessLogTest {
    @Test
    void formatsMillisecondsWithTwoDecimalsRoundedHalfUp() {
        assertThat(AccessLog.millis(0)).isEqualTo("0.00ms");
        assertThat(AccessLog.millis(4_999)).isEqualTo("0.00ms");
        assertThat(AccessLog.millis(5_000)).isEqualTo("0.01ms");
        assertThat(AccessLog.millis(90_000)).isEqualTo("0.09ms");
        assertThat(AccessLog.millis(1_234_567)).isEqualTo("1.23ms");
        assertThat(AccessLog.millis(1_235_000)).isEqualTo("1.24ms");
        assertThat(AccessLog.millis(999_995_000)).isEqualTo("1000.00ms");
        assertThat(AccessLog.millis(12_345_678_901L)).isEqualTo("12345.68ms");
    }

    @Test
    void agreesWithStringFormatInTheRootLocale() {
        for (long nanos = 0; nanos < 50_000_000; nanos += 123_457) {
            assertThat(AccessLog.millis(nanos))
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%.2fms", nanos / 1e6));
        }
    }

    @Test
    void aNegativeDurationFromAClockQuirkPrintsZero() {
        assertThat(AccessLog.millis(-1)).isEqualTo("0.00ms");
    }
}
