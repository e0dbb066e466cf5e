package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The framing decisions every protocol's exchange shares, in memory: the no-body rule (statuses
 * and methods), typed and field lengths, counting, the trailer rule.
 */
@Timeout(10)
class ResponseFramingTest {
    private static final long UNKNOWN = HttpExchange.UNKNOWN_LENGTH;

    @Test
    void statusesAndMethodsWithoutBody() {
        for (int status : new int[] {100, 101, 103, 204, 304}) {
            assertThat(HttpStatus.permitsContent(status)).as("%d", status).isFalse();
            assertThat(HttpStatus.responseHasBody("GET", status)).isFalse();
        }
        for (int status : new int[] {200, 201, 206, 301, 404, 500}) {
            assertThat(HttpStatus.permitsContent(status)).as("%d", status).isTrue();
            assertThat(HttpStatus.responseHasBody("GET", status)).isTrue();
            assertThat(HttpStatus.responseHasBody("HEAD", status)).as("HEAD %d", status).isFalse();
        }
        assertThat(HttpStatus.responseHasBody("CONNECT", 200)).isFalse();
        assertThat(HttpStatus.responseHasBody("CONNECT", 407)).isTrue();
    }

    @Test
    void aTypedLengthIsDeclaredAndWrittenByTheExchange() {
        ResponseFraming f = ResponseFraming.decide("GET", 200, new HttpHeaders(), 5);
        assertThat(f.body).isTrue();
        assertThat(f.declared()).isTrue();
        assertThat(f.writesLength).isTrue();
        assertThat(f.count(3)).isTrue();
        assertThat(f.missing()).isEqualTo(2);
        assertThat(f.count(3)).as("one byte too many").isFalse();
        assertThat(f.excess(3)).isEqualTo(1);
        assertThat(f.count(2)).isTrue();
        assertThat(f.missing()).isZero();
    }

    @Test
    void aCallersFieldIsReadOnceAndValidated() {
        ResponseFraming f = ResponseFraming.decide("GET", 200, new HttpHeaders().set("Content-Length", " 42 "), UNKNOWN);
        assertThat(f.length).isEqualTo(42);
        assertThat(f.writesLength).isFalse();
        for (String bad : new String[] {"", "-1", "1e3", "0x10", "12345678901234567890", "1, 1"}) {
            assertThatThrownBy(() -> ResponseFraming.decide("GET", 200, new HttpHeaders().set("Content-Length", bad),
                    UNKNOWN)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ResponseFraming.decide("GET", 200, new HttpHeaders().set("Content-Length", "5"), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ResponseFraming.decide("GET", 200, new HttpHeaders(), -2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutALengthTheBodyIsStreamed() {
        ResponseFraming f = ResponseFraming.decide("POST", 201, new HttpHeaders(), UNKNOWN);
        assertThat(f.body).isTrue();
        assertThat(f.declared()).isFalse();
        assertThat(f.count(1 << 30)).isTrue();
        assertThat(f.missing()).isZero();
    }

    @Test
    void headKeepsItsLengthButSendsNoBody() {
        ResponseFraming f = ResponseFraming.decide("HEAD", 200, new HttpHeaders(), 1234);
        assertThat(f.body).isFalse();
        assertThat(f.permitsContent).isTrue();
        assertThat(f.length).isEqualTo(1234);
        assertThat(f.writesLength).isTrue();
    }

    @Test
    void noContentStatusesIgnoreATypedLengthAndLeaveAFieldAlone() {
        for (int status : new int[] {101, 204, 304}) {
            ResponseFraming f = ResponseFraming.decide("GET", status, new HttpHeaders(), 10);
            assertThat(f.body).isFalse();
            assertThat(f.writesLength).isFalse();
            assertThat(f.declared()).isFalse();
        }
        // a 304 may repeat the 200's length as a field (RFC 9110 section 8.6): not read, not refused
        ResponseFraming f = ResponseFraming.decide("GET", 304, new HttpHeaders().set("Content-Length", "99"), UNKNOWN);
        assertThat(f.declared()).isFalse();
    }

    @Test
    void trailersMayNotCarryFramingRoutingOrConnectionFields() {
        ResponseFraming.checkTrailers(null);
        ResponseFraming.checkTrailers(new HttpHeaders().set("X-Checksum", "1").set("Server-Timing", "db;dur=5"));
        for (String name : new String[] {"Content-Length", "transfer-encoding", "Host", "Connection", "Trailer", "TE",
            "Content-Type", "Content-Encoding", "Content-Range", "Upgrade", "Keep-Alive"}) {
            assertThatThrownBy(() -> ResponseFraming.checkTrailers(new HttpHeaders().set(name, "1"))).as(name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailer");
        }
    }

    @Test
    void theProtocolErrorPageIsTheDelegatesOrThePlainTextDefault() {
        HttpServerConnectionDelegate plain = x -> null;
        ErrorBody b = ProtocolErrorPage.of(plain, 413);
        assertThat(new String(b.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("413 Content Too Large\n");
        assertThat(ProtocolErrorPage.headers(b).get("Content-Type")).isEqualTo("text/plain; charset=UTF-8");
        assertThat(ProtocolErrorPage.headers(b).contains("Content-Length")).as("the length goes typed").isFalse();

        ErrorBody json = new ErrorBody("application/problem+json", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(ProtocolErrorPage.of(delegate(json, false), 400)).isSameAs(json);
        assertThat(ProtocolErrorPage.of(delegate(null, false), 400).contentType()).as("null: the default")
                .startsWith("text/plain");
        assertThat(ProtocolErrorPage.of(delegate(json, true), 400).contentType()).as("a throwing delegate: the default")
                .startsWith("text/plain");
    }

    private static HttpServerConnectionDelegate delegate(ErrorBody page, boolean fail) {
        return new HttpServerConnectionDelegate() {
            @Override
            public HttpMessageDelegate startRequest(HttpExchange exchange) {
                return null;
            }

            @Override
            public ErrorBody errorBody(int status, String reason) {
                if (fail) {
                    throw new IllegalStateException("no page");
                }
                return page;
            }
        };
    }
}
