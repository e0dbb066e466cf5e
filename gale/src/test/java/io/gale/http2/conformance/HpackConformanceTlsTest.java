package io.gale.http2.conformance;

import org.junit.jupiter.api.Timeout;

/** Every case of {@link HpackConformanceTest} over TLS, h2 chosen by ALPN (as h2spec's {@code --tls}). */
@Timeout(120)
class HpackConformanceTlsTest extends HpackConformanceTest {
    @Override
    boolean tls() {
        return true;
    }
}
