package io.gale.http2.conformance;

import org.junit.jupiter.api.Timeout;

/** Every case of {@link GenericConformanceTest} over TLS, h2 chosen by ALPN (as h2spec's {@code --tls}). */
@Timeout(120)
class GenericConformanceTlsTest extends GenericConformanceTest {
    @Override
    boolean tls() {
        return true;
    }
}
