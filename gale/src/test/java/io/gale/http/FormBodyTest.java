package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code parseBodyArguments}: urlencoded and multipart/form-data with Tornado's rules. */
@Timeout(10)
class FormBodyTest {
    private static final String B = "1234";
    private static final String MP = "multipart/form-data; boundary=" + B;

    private Map<String, List<String>> args;
    private Map<String, List<HttpFile>> files;

    @BeforeEach
    void setUp() {
        args = new LinkedHashMap<>();
        files = new LinkedHashMap<>();
    }

    private void parse(String contentType, String body) throws HttpFormException {
        HttpUtil.parseBodyArguments(contentType, body.getBytes(StandardCharsets.UTF_8), args, files);
    }

    private static String part(String disposition, String extraHeaders, String value) {
        return "--" + B + "\r\nContent-Disposition: " + disposition + "\r\n" + extraHeaders + "\r\n" + value + "\r\n";
    }

    private static String end() {
        return "--" + B + "--\r\n";
    }

    @Test
    void urlencoded() throws Exception {
        parse("application/x-www-form-urlencoded", "a=1&b=x+y%21&a=2&blank=&%E2%82%AC=%E2%82%AC");
        assertThat(args).containsEntry("a", List.of("1", "2")).containsEntry("b", List.of("x y!"))
                .containsEntry("blank", List.of("")).containsEntry("€", List.of("€"));
        assertThat(files).isEmpty();
    }

    @Test
    void urlencodedWithCharsetParameterAndAppendsToExistingArguments() throws Exception {
        args.put("a", new java.util.ArrayList<>(List.of("query")));
        parse("Application/X-WWW-Form-Urlencoded; charset=ISO-8859-1", "a=%E9");
        assertThat(args.get("a")).containsExactly("query", "é");
        assertThatThrownBy(() -> parse("application/x-www-form-urlencoded; charset=UTF-16", "a=1"))
                .isInstanceOf(HttpFormException.class);
        assertThatThrownBy(() -> parse("application/x-www-form-urlencoded; charset=bogus", "a=1"))
                .isInstanceOf(HttpFormException.class);
    }

    @Test
    void urlencodedFieldLimit() throws Exception {
        FormLimits limits = FormLimits.builder().maxFields(3).build();
        HttpUtil.parseBodyArguments("application/x-www-form-urlencoded", "a=1&b=2&&c=3".getBytes(), args, files, limits);
        assertThat(args).hasSize(3);
        assertThatThrownBy(() -> HttpUtil.parseBodyArguments("application/x-www-form-urlencoded",
                "a=1&b=2&c=3&d=4".getBytes(), new LinkedHashMap<>(), files, limits))
                .isInstanceOf(HttpFormException.class).hasMessageContaining("too many form fields");
    }

    @Test
    void otherContentTypesAndNullsAreIgnored() throws Exception {
        parse("application/json", "{\"a\":1}");
        parse(null, "a=1");
        HttpUtil.parseBodyArguments("application/x-www-form-urlencoded", null, args, files);
        parse("application/x-www-form-urlencoded", "");
        assertThat(args).isEmpty();
    }

    @Test
    void multipartFieldsAndFiles() throws Exception {
        String body = part("form-data; name=\"field\"", "", "välue")
                + part("form-data; name=\"upload\"; filename=\"ab.txt\"", "Content-Type: text/plain\r\nX-Extra: 1\r\n", "file\r\ncontent")
                + part("form-data; name=\"upload\"; filename=\"raw.bin\"", "", "")
                + part("form-data; name=\"empty-file-input\"; filename=\"\"", "Content-Type: application/octet-stream\r\n", "")
                + end();
        parse(MP, body);
        assertThat(args).containsEntry("field", List.of("välue")).containsEntry("empty-file-input", List.of(""));
        List<HttpFile> up = files.get("upload");
        assertThat(up).hasSize(2);
        assertThat(up.get(0).filename()).isEqualTo("ab.txt");
        assertThat(up.get(0).contentType()).isEqualTo("text/plain");
        assertThat(new String(up.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("file\r\ncontent");
        assertThat(up.get(0).header("x-extra")).isEqualTo("1");
        assertThat(up.get(0).headers()).containsOnlyKeys("content-disposition", "content-type", "x-extra");
        assertThat(up.get(1).contentType()).isEqualTo("application/unknown");
        assertThat(up.get(1).body()).isEmpty();
    }

    @Test
    void quotedBoundaryAndFilenameEncodings() throws Exception {
        String body = part("form-data; name=\"f\"; filename*=UTF-8''%E2%82%AC%20rates.txt; filename=\"fallback\"", "", "a")
                + part("form-data; name=\"g\"; filename=\"日本.txt\"", "", "b")
                + part("form-data; name=\"h\"; filename=\"quote\\\"d.txt\"", "", "c")
                + end();
        parse("multipart/form-data; boundary=\"" + B + "\"", body);
        assertThat(files.get("f").get(0).filename()).isEqualTo("€ rates.txt");
        assertThat(files.get("g").get(0).filename()).isEqualTo("日本.txt");
        assertThat(files.get("h").get(0).filename()).isEqualTo("quote\"d.txt");
    }

    @Test
    void latin1FilenameBytesFallBackToIso88591() throws Exception {
        byte[] head = ("--" + B + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\"\r\n\r\nx\r\n--" + B + "--").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xE9;
        System.arraycopy(tail, 0, body, head.length + 1, tail.length);
        HttpUtil.parseBodyArguments(MP, body, args, files);
        assertThat(files.get("f").get(0).filename()).isEqualTo("é");
    }

    @Test
    void formDataRules() {
        assertThatThrownBy(() -> parse(MP, part("form-data", "", "v") + end())).hasMessageContaining("without a name");
        assertThatThrownBy(() -> parse(MP, part("form-data; name=\"\"", "", "v") + end())).hasMessageContaining("without a name");
        assertThatThrownBy(() -> parse(MP, part("attachment; name=a", "", "v") + end())).hasMessageContaining("form-data");
        assertThatThrownBy(() -> parse(MP, "--" + B + "\r\n\r\nv\r\n" + end())).hasMessageContaining("form-data");
    }

    @Test
    void multipartConfigurationErrors() {
        assertThatThrownBy(() -> parse("multipart/form-data", end())).isInstanceOf(HttpFormException.class)
                .hasMessageContaining("without a boundary");
        assertThatThrownBy(() -> parse("multipart/form-data; boundary=", end())).isInstanceOf(HttpFormException.class)
                .hasMessageContaining("invalid multipart boundary");
        assertThatThrownBy(() -> HttpUtil.parseBodyArguments(MP, end().getBytes(), args, files,
                FormLimits.builder().multipartEnabled(false).build())).hasMessageContaining("disabled");
        assertThatThrownBy(() -> parse(MP, "")).hasMessageContaining("no multipart boundary");
    }

    @Test
    void defaultPartLimitIsOneHundred() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) sb.append(part("form-data; name=a" + i, "", "v"));
        parse(MP, sb + end());
        assertThat(args).hasSize(100);
        sb.append(part("form-data; name=overflow", "", "v"));
        assertThatThrownBy(() -> parse(MP, sb + end())).hasMessageContaining("limit 100");
    }

    @Test
    void partHeaderSizeDefaultIs10240() throws Exception {
        String ok = "X: " + "a".repeat(10240 - 2 - 3 - "Content-Disposition: form-data; name=a\r\n".length()) + "\r\n";
        parse(MP, part("form-data; name=a", ok, "v") + end());
        String tooBig = "X: " + "a".repeat(10240) + "\r\n";
        assertThatThrownBy(() -> parse(MP, part("form-data; name=b", tooBig, "v") + end())).hasMessageContaining("too large");
    }

    @Test
    void parseMultipartFormDataAcceptsQuotedBoundary() throws Exception {
        HttpUtil.parseMultipartFormData("\"" + B + "\"", (part("form-data; name=a", "", "1") + end()).getBytes(),
                args, files, FormLimits.DEFAULTS);
        assertThat(args).containsEntry("a", List.of("1"));
        assertThatThrownBy(() -> HttpUtil.parseMultipartFormData(null, new byte[0], args, files, FormLimits.DEFAULTS))
                .isInstanceOf(HttpFormException.class);
        assertThatThrownBy(() -> HttpUtil.parseMultipartFormData("x", new byte[0], args, files,
                FormLimits.builder().multipartEnabled(false).build())).hasMessageContaining("disabled");
    }

    @Test
    void syntheticHttpFileHasNoHeaders() {
        HttpFile f = new HttpFile("a.txt", "text/plain", new byte[] {1});
        assertThat(f.headers()).isEmpty();
        assertThat(f.header("content-type")).isNull();
        assertThat(f).hasToString("HttpFile[a.txt, text/plain, 1 bytes]");
    }

    @Test
    void formLimitsValidation() {
        assertThat(FormLimits.DEFAULTS).isEqualTo(new FormLimits(true, 100, 10240, 10_000));
        assertThatThrownBy(() -> FormLimits.builder().maxParts(-1).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
