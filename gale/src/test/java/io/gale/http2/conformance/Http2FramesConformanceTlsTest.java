package io.gale.http2.conformance;

import org.junit.jupiter.api.Timeout;

/** Every case of {@link Http2FramesConformanceTest} over TLS, h2 chosen by ALPN (as h2spec's {@code --tls}). */
@Timeout(120)
class Http2FramesConformanceTlsTest extends Http2FramesConformanceTest {
    @Override
    boolean tls() {
        return true;
    }
}
