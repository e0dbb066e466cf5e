package io.gale.http2.conformance;

import org.junit.jupiter.api.Timeout;

/** Every case of {@link Rfc9113ConformanceTest} over TLS, h2 chosen by ALPN (as h2spec's {@code --tls}). */
@Timeout(120)
class Rfc9113ConformanceTlsTest extends Rfc9113ConformanceTest {
    @Override
    boolean tls() {
        return true;
    }
}
