package io.gale.internal.autoreload;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer targets for the supervisor-child line format (regression mode over the seeds in
 * {@code src/test/resources/io/gale/internal/autoreload/LinkFuzzTestInputs/} under {@code mvn test};
 * see docs/testing.md to fuzz for real). A line decodes to a message or is refused with an
 * {@link IllegalArgumentException}, nothing else; whatever decodes encodes back to the same line;
 * any fields round-trip.
 */
class LinkFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(FuzzedDataProvider data) {
        String line = data.consumeRemainingAsString();
        LinkMessage m;
        try {
            m = LinkMessage.decode(line);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertThat(m.encode()).isEqualTo(line + "\n");
    }

    @FuzzTest(maxDuration = "30s")
    void fieldsRoundTrip(FuzzedDataProvider data) {
        List<String> fields = new ArrayList<>();
        int n = data.consumeInt(0, 8);
        for (int i = 0; i < n; i++) {
            fields.add(data.consumeString(64));
        }
        LinkMessage m = new LinkMessage(LinkMessage.BOUND, fields);
        String line = m.encode();
        assertThat(LinkMessage.decode(line.substring(0, line.length() - 1))).isEqualTo(m);
    }
}
