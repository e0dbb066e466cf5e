package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HeaderParamsTest {

    @Test
    void contentTypeWithQuotedBoundary() {
        HeaderValue v = HttpUtil.parseContentType("Multipart/Form-Data; boundary=\"abc\"");
        assertThat(v.value()).isEqualTo("multipart/form-data");
        assertThat(v.param("boundary")).isEqualTo("abc");
        assertThat(v.param("BOUNDARY")).isEqualTo("abc");
    }

    @Test
    void tokensQuotedStringsEscapesAndSemicolonsInQuotes() {
        HeaderValue v = HttpUtil.parseHeaderParams("form-data; name=\"a;b\\\"c\"; Filename = plain ; x=\"back\\\\slash\"");
        assertThat(v.value()).isEqualTo("form-data");
        assertThat(v.params()).containsEntry("name", "a;b\"c").containsEntry("filename", "plain")
                .containsEntry("x", "back\\slash");
    }

    @Test
    void windowsPathsInFilenamesSurvive() {
        HeaderValue v = HttpUtil.parseHeaderParams("form-data; name=f; filename=\"C:\\dir\\a.txt\"");
        assertThat(v.param("filename")).isEqualTo("C:\\dir\\a.txt");
    }

    @Test
    void rfc2231FilenameTakesPrecedence() {
        HeaderValue v = HttpUtil.parseHeaderParams(
                "attachment; filename*=UTF-8''%E2%82%AC%20rates.txt; filename=\"fallback.txt\"");
        assertThat(v.param("filename")).isEqualTo("€ rates.txt");
        HeaderValue latin = HttpUtil.parseHeaderParams("attachment; filename*=iso-8859-1'en'%E9t%E9.txt");
        assertThat(latin.param("filename")).isEqualTo("été.txt");
    }

    @Test
    void malformedRfc2231FallsBackToPlainParameter() {
        assertThat(HttpUtil.parseHeaderParams("a; filename*=UTF-8''%zz; filename=x").param("filename")).isEqualTo("x");
        assertThat(HttpUtil.parseHeaderParams("a; filename*=nosuchcharset''abc; filename=x").param("filename")).isEqualTo("x");
        assertThat(HttpUtil.parseHeaderParams("a; filename*=noquotes; filename=x").param("filename")).isEqualTo("x");
    }

    @Test
    void malformedParametersAreSkipped() {
        HeaderValue v = HttpUtil.parseHeaderParams("text/plain; novalue; =x; a=1;; b=\"unterminated");
        assertThat(v.value()).isEqualTo("text/plain");
        assertThat(v.params()).containsOnlyKeys("a", "b");
        assertThat(v.param("b")).isEqualTo("\"unterminated");
        assertThat(HttpUtil.parseHeaderParams("").value()).isEmpty();
        assertThat(HttpUtil.parseHeaderParams(null).params()).isEmpty();
    }

    @Test
    void parametersKeepTheirOrderAndAreUnmodifiable() {
        HeaderValue v = HttpUtil.parseHeaderParams("x; z=1; a=2; m=3");
        assertThat(v.params().keySet()).containsExactly("z", "a", "m");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> v.params().put("b", "c"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void firstOccurrenceOfAParameterWins() {
        assertThat(HttpUtil.parseHeaderParams("x; name=a; name=b").param("name")).isEqualTo("a");
    }

    @Test
    @Timeout(5)
    void manyParametersWithoutEqualsAreLinear() {
        String s = "x" + ";a".repeat(500_000) + ";z=1";
        assertThat(HttpUtil.parseHeaderParams(s).param("z")).isEqualTo("1");
    }
}
