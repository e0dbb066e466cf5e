package io.gale.http;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Tornado's {@code parse_body_arguments}. Stateless and thread-safe. */
final class FormBodyParser {
    private FormBodyParser() {}

    static void parse(String contentType, byte[] body, Map<String, List<String>> arguments,
                      Map<String, List<HttpFile>> files, FormLimits limits) throws HttpFormException {
        if (contentType == null || body == null) return;
        HeaderValue ct = HeaderParams.parse(contentType);
        String type = ct.value().toLowerCase(Locale.ROOT);
        if (type.equals("application/x-www-form-urlencoded")) {
            Charset cs = charset(ct.param("charset"));
            int n = UrlCodec.parseForm(body, 0, body.length, cs, arguments, limits.maxFields());
            if (n < 0) throw new HttpFormException("too many form fields (limit " + limits.maxFields() + ")");
        } else if (type.equals("multipart/form-data")) {
            if (!limits.multipartEnabled()) throw new HttpFormException("multipart/form-data is disabled");
            String boundary = ct.param("boundary");
            if (boundary == null) throw new HttpFormException("multipart/form-data without a boundary");
            MultipartParser parser = new MultipartParser(boundary, limits, new MultipartFormCollector(arguments, files));
            parser.feed(ByteBuffer.wrap(body));
            parser.finish();
        }
        // other types are the handler's business (JSON and so on), as in Tornado
    }

    private static Charset charset(String name) throws HttpFormException {
        if (name == null || name.equalsIgnoreCase("utf-8")) return StandardCharsets.UTF_8;
        try {
            Charset cs = Charset.forName(name);
            // the body is split on ASCII '&' and '=' before decoding: only ASCII supersets work
            if (Arrays.equals("&=%+az09".getBytes(cs), "&=%+az09".getBytes(StandardCharsets.US_ASCII))) return cs;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // unknown name, or a decode-only charset
        }
        throw new HttpFormException("unsupported form charset");
    }
}
