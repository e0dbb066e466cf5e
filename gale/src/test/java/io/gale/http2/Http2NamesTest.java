package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpHeaderNames;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Http2Names}: every spelling Gale's {@link HttpHeaderNames} offers maps to one shared
 * lower-case instance (so the encoder never allocates for them), and decoded name octets map to
 * the same instances.
 */
@Timeout(30)
class Http2NamesTest {

    @Test
    void everyHttpHeaderNamesConstantHasASharedLowerCaseInstance() throws IllegalAccessException {
        int n = 0;
        for (Field f : HttpHeaderNames.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class) {
                continue;
            }
            String spelling = (String) f.get(null);
            String lower = Http2Names.lowerCase(spelling);
            assertThat(lower).as(spelling).isEqualTo(spelling.toLowerCase(Locale.ROOT));
            assertThat(Http2Names.lowerCase(spelling)).as("%s: no new string", spelling).isSameAs(lower);
            assertThat(Http2Names.lowerCase(lower)).isSameAs(lower);
            byte[] b = lower.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(Http2Names.name(b, 0, b.length)).as("decoded %s", lower).isSameAs(lower);
            n++;
        }
        assertThat(n).isGreaterThan(60);
    }

    @Test
    void staticTableNamesAreTheCanonicalInstances() {
        for (int i = 1; i <= HpackStaticTable.LENGTH; i++) {
            String name = HpackStaticTable.name(i);
            byte[] b = ("xx" + name + "yy").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(Http2Names.name(b, 2, name.length())).isSameAs(name);
        }
    }

    @Test
    void unknownNames() {
        byte[] b = "x-unknown-thing".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Http2Names.name(b, 0, b.length)).isEqualTo("x-unknown-thing");
        assertThat(Http2Names.name(b, 0, 0)).isEmpty();
        assertThat(Http2Names.lowerCase("X-Unknown-Thing")).isEqualTo("x-unknown-thing");
        String lower = "x-unknown-thing";
        assertThat(Http2Names.lowerCase(lower)).as("already lower case: itself").isSameAs(lower);
        assertThat(Http2Names.name("Host".getBytes(), 0, 4)).as("upper case stays as sent").isEqualTo("Host");
    }
}
