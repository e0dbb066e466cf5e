package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.Optional;

/**
 * Jazzer fuzz targets for the header-value parsers not driven by {@link HttpFuzzTest}: Range,
 * HTTP dates, Host's host:port, and percent-decoding. Regression mode over the seeds in
 * {@code src/test/resources/io/gale/http/HeaderFuzzTestInputs/} under {@code mvn test}; see
 * docs/fuzzing.md for a campaign. Each either returns a value that keeps its documented
 * invariants or throws the one declared exception.
 */
class HeaderFuzzTest {

    /** Range against a resource length: satisfiable ranges lie inside it, sorted, bounded in number. */
    @FuzzTest(maxDuration = "2m")
    void range(FuzzedDataProvider data) {
        long length = data.consumeLong(0, Long.MAX_VALUE / 2);
        String header = data.consumeRemainingAsString();
        RangeResult result = HttpUtil.parseRange(header, length);
        assertThat(result).isNotNull();
        if (result instanceof RangeResult.Satisfiable s) {
            assertThat(s.ranges().size()).isBetween(1, RangeParser.MAX_RANGES);
            for (ByteRange r : s.ranges()) {
                assertThat(r.start()).isNotNegative();
                assertThat(r.end()).isGreaterThan(r.start()).isLessThanOrEqualTo(length);
            }
        } else if (result instanceof RangeResult.Unsatisfiable u) {
            assertThat(u.completeLength()).isEqualTo(length);
        }
    }

    /** The three HTTP date formats; whatever parses formats back to an IMF-fixdate that parses to the same instant. */
    @FuzzTest(maxDuration = "2m")
    void httpDate(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Optional<Instant> parsed = HttpUtil.parseHttpDate(text);
        parsed.ifPresent(instant -> {
            if (instant.getEpochSecond() >= -62_135_596_800L && instant.getEpochSecond() <= 253_402_300_799L) {
                String formatted = HttpDates.format(instant);
                assertThat(HttpUtil.parseHttpDate(formatted)).contains(Instant.ofEpochSecond(instant.getEpochSecond()));
            }
        });
    }

    /** host[:port] splitting: a port is 0-65535 or absent; anything else is IllegalArgumentException. */
    @FuzzTest(maxDuration = "2m")
    void hostAndPort(FuzzedDataProvider data) {
        String netloc = data.consumeRemainingAsString();
        try {
            HostAndPort hp = HttpUtil.splitHostAndPort(netloc);
            assertThat(hp.port()).isBetween(-1, 65535);
            assertThat(netloc).contains(hp.host());
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** Percent-decoding: lenient never throws; strict throws only IllegalArgumentException; encode round-trips. */
    @FuzzTest(maxDuration = "2m")
    void urlDecode(FuzzedDataProvider data) {
        boolean plus = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        HttpUtil.urlDecodeLenient(text, plus);
        HttpUtil.urlDecodeToBytes(text, plus);
        try {
            HttpUtil.urlDecode(text, plus);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        if (text.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
            assertThat(HttpUtil.urlDecode(HttpUtil.urlEncode(text, plus), plus)).isEqualTo(text);
        }
    }
}
