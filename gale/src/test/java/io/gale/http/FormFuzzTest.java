package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded mutation testing: whatever the bytes, the form parsers either succeed or throw
 * {@link HttpFormException}; the string parsers never throw at all. Seeds are fixed, so a
 * failure reproduces; the seed and iteration are in the message.
 */
@Timeout(60)
class FormFuzzTest {
    private static final String B = "XyZzy-boundary";
    private static final int ITERATIONS = 3000;

    private static byte[] seedBody() {
        String s = "preamble\r\n--" + B + "\r\n"
                + "Content-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n"
                + "--" + B + "\r\n"
                + "Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''%C3%A9.txt\r\n"
                + "Content-Type: text/plain\r\n\r\nline\r\n--" + B.substring(0, 5) + "\r\n\r\n"
                + "--" + B + "--\r\nepilogue";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mutate(byte[] in, Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] alphabet = ("\r\n-\";=%: \t\\" + B).getBytes(StandardCharsets.ISO_8859_1);
        int mutations = 1 + r.nextInt(6);
        byte[] cur = in;
        for (int m = 0; m < mutations; m++) {
            out.reset();
            int at = cur.length == 0 ? 0 : r.nextInt(cur.length);
            switch (r.nextInt(6)) {
                case 0 -> { // flip a byte
                    out.write(cur, 0, cur.length);
                    byte[] b = out.toByteArray();
                    if (b.length > 0) b[at] = (byte) r.nextInt(256);
                    cur = b;
                    continue;
                }
                case 1 -> { // delete a run
                    int len = Math.min(cur.length - at, r.nextInt(20));
                    out.write(cur, 0, at);
                    out.write(cur, at + len, cur.length - at - len);
                }
                case 2 -> { // insert interesting bytes
                    out.write(cur, 0, at);
                    for (int i = r.nextInt(8); i >= 0; i--) out.write(alphabet[r.nextInt(alphabet.length)]);
                    out.write(cur, at, cur.length - at);
                }
                case 3 -> { // duplicate a run (more parts, repeated boundaries)
                    int len = Math.min(cur.length - at, r.nextInt(80));
                    out.write(cur, 0, at + len);
                    out.write(cur, at, cur.length - at);
                }
                case 4 -> out.write(cur, 0, at); // truncate
                default -> { // insert a delimiter
                    out.write(cur, 0, at);
                    out.writeBytes(("\r\n--" + B + (r.nextBoolean() ? "--" : "\r\n")).getBytes(StandardCharsets.ISO_8859_1));
                    out.write(cur, at, cur.length - at);
                }
            }
            cur = out.toByteArray();
        }
        return cur;
    }

    private static Map<String, List<String>> describe(Map<String, List<HttpFile>> files) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        files.forEach((k, v) -> out.put(k, v.stream()
                .map(f -> f.filename() + "|" + f.contentType() + "|" + java.util.Arrays.toString(f.body()) + "|" + f.headers())
                .toList()));
        return out;
    }

    @Test
    void multipartParsersThrowOnlyHttpFormException() {
        Random r = new Random(20240611);
        byte[] seed = seedBody();
        FormLimits limits = FormLimits.builder().maxParts(20).maxPartHeaderSize(200).build();
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] body = mutate(seed, r);
            boolean wholeOk = false;
            Map<String, List<String>> args = new LinkedHashMap<>();
            Map<String, List<HttpFile>> files = new LinkedHashMap<>();
            try {
                HttpUtil.parseBodyArguments("multipart/form-data; boundary=" + B, body, args, files, limits);
                wholeOk = true;
                accepted++;
            } catch (HttpFormException expected) {
                // fine
            } catch (Throwable t) {
                fail("iteration " + i + ": " + t, t);
            }
            // the streaming parser, fed in random chunks, must agree with the whole-body parse
            Map<String, List<String>> args2 = new LinkedHashMap<>();
            Map<String, List<HttpFile>> files2 = new LinkedHashMap<>();
            boolean streamOk = false;
            try {
                MultipartParser p = new MultipartParser(B, limits, new MultipartFormCollector(args2, files2));
                int pos = 0;
                while (pos < body.length) {
                    int n = Math.min(body.length - pos, 1 + r.nextInt(40));
                    p.feed(ByteBuffer.wrap(body, pos, n));
                    pos += n;
                }
                p.finish();
                streamOk = true;
            } catch (HttpFormException expected) {
                // fine
            } catch (Throwable t) {
                fail("iteration " + i + " (streaming): " + t, t);
            }
            assertThat(streamOk).as("iteration %d", i).isEqualTo(wholeOk);
            if (wholeOk) {
                assertThat(args2).as("iteration %d", i).isEqualTo(args);
                assertThat(describe(files2)).as("iteration %d", i).isEqualTo(describe(files));
            }
        }
        // the mutations must leave a fair share of bodies valid, or the test only probes errors
        assertThat(accepted).isBetween(ITERATIONS / 50, ITERATIONS - ITERATIONS / 50);
    }

    @Test
    void urlencodedAndStringParsersNeverThrow() {
        Random r = new Random(99);
        byte[] seed = "a=1&b=%41%zz&c=+%E2%82%AC&&d&=e&f=%".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] body = mutate(seed, r);
            String text = new String(body, StandardCharsets.ISO_8859_1);
            try {
                HttpUtil.parseBodyArguments("application/x-www-form-urlencoded", body, new LinkedHashMap<>(), new LinkedHashMap<>());
                HttpUtil.parseQueryString(text);
                HttpUtil.parseCookieHeader(text);
                HttpUtil.parseHeaderParams(text);
                HttpUtil.parseContentType(text);
                HttpUtil.parseHttpDate(text);
                HttpUtil.parseRange(text, r.nextInt(2000));
                HttpUtil.parseRange("bytes=" + text, r.nextInt(2000));
            } catch (Throwable t) {
                fail("iteration " + i + " on " + text + ": " + t, t);
            }
        }
    }
}
