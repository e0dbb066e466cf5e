package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HttpHeadersTest {

    @Test
    void caseInsensitiveMultiValuedOrdered() {
        HttpHeaders h = new HttpHeaders().add("Set-Cookie", "a=1").add("Content-Type", "text/plain")
            .add("set-cookie", "b=2");
        assertThat(h.get("SET-COOKIE")).isEqualTo("a=1");
        assertThat(h.getAll("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(h.getAll("missing")).isEmpty();
        assertThat(h.get("missing")).isNull();
        assertThat(h.get("missing", "d")).isEqualTo("d");
        assertThat(h.size()).isEqualTo(3);
        assertThat(h.names()).containsExactly("Set-Cookie", "Content-Type");
        List<String> seen = new ArrayList<>();
        h.forEach((n, v) -> seen.add(n + "=" + v));
        assertThat(seen).containsExactly("Set-Cookie=a=1", "Content-Type=text/plain", "set-cookie=b=2");
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        h.iterator().forEachRemaining(entries::add);
        assertThat(entries).extracting(Map.Entry::getValue).containsExactly("a=1", "text/plain", "b=2");
    }

    @Test
    void setReplacesAllValuesAtTheFirstPosition() {
        HttpHeaders h = new HttpHeaders().add("A", "1").add("B", "2").add("a", "3");
        h.set("A", "x");
        assertThat(h.names()).containsExactly("A", "B");
        assertThat(h.getAll("a")).containsExactly("x");
        h.set("C", "new");
        assertThat(h.nameAt(2)).isEqualTo("C");
    }

    @Test
    void removeAndContains() {
        HttpHeaders h = new HttpHeaders().add("A", "1").add("B", "2").add("a", "3").add("C", "4");
        assertThat(h.remove("a")).isTrue();
        assertThat(h.remove("a")).isFalse();
        assertThat(h.contains("A")).isFalse();
        assertThat(h.names()).containsExactly("B", "C");
        assertThat(h.isEmpty()).isFalse();
    }

    @Test
    void containsValueMatchesCommaSeparatedTokens() {
        HttpHeaders h = new HttpHeaders().add("Connection", "keep-alive ,\tUpgrade").add("Connection", "close");
        assertThat(h.containsValue("connection", "upgrade", true)).isTrue();
        assertThat(h.containsValue("connection", "upgrade", false)).isFalse();
        assertThat(h.containsValue("connection", "close", false)).isTrue();
        assertThat(h.containsValue("connection", "keep", true)).isFalse();
        assertThat(h.containsValue("other", "close", true)).isFalse();
        assertThat(new HttpHeaders().add("X", "").containsValue("X", "", true)).isTrue();
    }

    @Test
    void rejectsMessageSplittingInput() {
        HttpHeaders h = new HttpHeaders();
        assertThatThrownBy(() -> h.add("X", "a\r\nInjected: 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add("X", "a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.set("X", "a\u0000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add("Bad Name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add("Bad:", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add("", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add("N\u00e9", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add(null, "v")).isInstanceOf(NullPointerException.class);
        assertThat(h.size()).isZero();
        h.add("X", "tab\tand obs-text \u00e9 ok");
        assertThat(h.get("x")).isEqualTo("tab\tand obs-text \u00e9 ok");
    }

    /** RFC 9110 section 5.5, the one value rule: HTAB, SP, VCHAR and obs-text; every other byte refused. */
    @Test
    void valuesFollowTheOneFieldValueRule() {
        for (char c = 0; c < 0x100; c++) {
            boolean valid = c == '\t' || (c >= 0x20 && c != 0x7F);
            String v = "a" + c + "b";
            assertThat(HttpHeaders.isValidValue(v)).as("0x%02x", (int) c).isEqualTo(valid);
            if (valid) {
                new HttpHeaders().set("X", v);
            } else {
                assertThatThrownBy(() -> new HttpHeaders().set("X", v)).as("0x%02x", (int) c)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RFC 9110");
            }
        }
        assertThat(HttpHeaders.isValidValue("snow \u2603")).as("above 0xFF: not ISO-8859-1").isFalse();
        assertThat(HttpHeaders.isValidValue("")).isTrue();
        assertThatThrownBy(() -> new HttpHeaders().add("X", "bell\u0007")).hasMessageContaining("bell?");
    }

    @Test
    void copyIsIndependentAndEqualityIgnoresNameCase() {
        HttpHeaders h = new HttpHeaders().add("A", "1");
        HttpHeaders c = h.copy();
        c.add("B", "2");
        assertThat(h.size()).isEqualTo(1);
        assertThat(new HttpHeaders().add("a", "1")).isEqualTo(h).hasSameHashCodeAs(h);
        assertThat(new HttpHeaders().add("A", "2")).isNotEqualTo(h);
        assertThat(c.toString()).isEqualTo("HttpHeaders[A: 1, B: 2]");
    }

    @Test
    void growsBeyondInitialCapacity() {
        HttpHeaders h = new HttpHeaders();
        for (int i = 0; i < 100; i++) {
            h.add("H" + i, Integer.toString(i));
        }
        assertThat(h.size()).isEqualTo(100);
        assertThat(h.get("h99")).isEqualTo("99");
        assertThat(h.copy().get("H50")).isEqualTo("50");
    }

    @Test
    void internTableFindsNamesInAnyCase() {
        byte[] b = "cOnTeNt-TyPe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(HttpHeaderNames.lookup(b, 0, b.length)).isSameAs(HttpHeaderNames.CONTENT_TYPE);
        byte[] unknown = "Content-Typf".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(HttpHeaderNames.lookup(unknown, 0, unknown.length)).isNull();
        byte[] caret = "Accep^".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(HttpHeaderNames.lookup(caret, 0, caret.length)).isNull();
    }
}
