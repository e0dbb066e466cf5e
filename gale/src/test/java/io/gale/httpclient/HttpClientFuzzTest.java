package io.gale.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz target for what the HTTP client reads from a server's headers beyond the response
 * parser ({@code HttpFuzzTest#responseParser}): Digest challenges. Regression mode over the seeds
 * in {@code src/test/resources/io/gale/httpclient/HttpClientFuzzTestInputs/} under
 * {@code mvn test}; see docs/fuzzing.md for a campaign.
 */
class HttpClientFuzzTest {

    /** A WWW-Authenticate value: answered with a header-safe Authorization value, or not at all. */
    @FuzzTest(maxDuration = "2m")
    void digestChallenge(FuzzedDataProvider data) {
        String user = data.consumeString(16);
        String password = data.consumeString(16);
        String challenge = data.consumeRemainingAsString();
        if (!DigestAuth.isDigest(challenge)) {
            return;
        }
        String answer = DigestAuth.authorize(challenge, "GET", "/a?b=c", user, password);
        if (answer != null && noLineBreaks(challenge) && noLineBreaks(user)) {
            assertThat(answer).startsWith("Digest username=");
            assertThat(noLineBreaks(answer)).as(answer).isTrue();
        }
    }

    private static boolean noLineBreaks(String s) {
        return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 && s.indexOf('\0') < 0;
    }
}
