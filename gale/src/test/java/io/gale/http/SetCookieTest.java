package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SetCookieTest {

    @Test
    void formatsEveryAttributeInAStableOrder() {
        SetCookie c = SetCookie.builder("sid", "abc123")
                .domain("example.com").path("/app")
                .expires(Instant.parse("1994-11-06T08:49:37Z"))
                .maxAge(Duration.ofHours(1))
                .secure(true).httpOnly(true)
                .sameSite(SetCookie.SameSite.NONE)
                .partitioned(true)
                .build();
        assertThat(c.headerValue()).isEqualTo("sid=abc123; Domain=example.com; Path=/app; "
                + "Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=3600; Secure; HttpOnly; SameSite=None; Partitioned");
        assertThat(c.name()).isEqualTo("sid");
        assertThat(c.value()).isEqualTo("abc123");
        assertThat(c).hasToString(c.headerValue());
    }

    @Test
    void minimalAndEmptyValues() {
        assertThat(SetCookie.builder("a", "").build().headerValue()).isEqualTo("a=");
        assertThat(SetCookie.builder("a", "\"quoted\"").sameSite(SetCookie.SameSite.LAX).build().headerValue())
                .isEqualTo("a=\"quoted\"; SameSite=Lax");
        assertThat(SetCookie.builder("a", "b").sameSite(SetCookie.SameSite.STRICT).maxAge(Duration.ofSeconds(-5)).build()
                .headerValue()).isEqualTo("a=b; Max-Age=0; SameSite=Strict");
    }

    @Test
    void rejectsNamesThatAreNotTokens() {
        for (String name : List.of("", "a b", "a=b", "a;b", "a,b", "a\r\nSet-Cookie: x", "a\"", "é", "a\tb", "(a)")) {
            assertThatThrownBy(() -> SetCookie.builder(name, "v").build()).as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectsValuesOutsideCookieOctets() {
        for (String value : List.of("a b", "a;b", "a,b", "a\r\nb", "a\nb", "a\\b", "a\"b", "\"", "\"a b\"", "é", "a\u007fb", "\u0000")) {
            assertThatThrownBy(() -> SetCookie.builder("n", value).build()).as(value).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectsInjectionThroughDomainAndPath() {
        assertThatThrownBy(() -> SetCookie.builder("n", "v").domain("a.com; HttpOnly").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.builder("n", "v").domain("").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.builder("n", "v").path("/a\r\nX: y").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.builder("n", "v").path("/a b").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.builder("n", "v").path("/é").build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enforcesRulesBrowsersEnforceSilently() {
        assertThatThrownBy(() -> SetCookie.builder("n", "v").sameSite(SetCookie.SameSite.NONE).build())
                .hasMessageContaining("Secure");
        assertThatThrownBy(() -> SetCookie.builder("n", "v").partitioned(true).build()).hasMessageContaining("Secure");
        assertThatThrownBy(() -> SetCookie.builder("__Secure-n", "v").build()).hasMessageContaining("Secure");
        assertThatThrownBy(() -> SetCookie.builder("__Host-n", "v").secure(true).build()).hasMessageContaining("Path=/");
        assertThatThrownBy(() -> SetCookie.builder("__Host-n", "v").secure(true).path("/").domain("a.com").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SetCookie.builder("__Host-n", "v").secure(true).path("/").build().headerValue())
                .isEqualTo("__Host-n=v; Path=/; Secure");
    }

    @Test
    void builtCookiesRoundTripThroughTheParser() {
        SetCookie c = SetCookie.builder("tok", "a-b_c.d~e!#$%&'()*+/:<=>?@[]^`{|}").build();
        assertThat(HttpUtil.parseCookieHeader(c.name() + "=" + c.value())).containsEntry("tok", c.value());
    }
}
