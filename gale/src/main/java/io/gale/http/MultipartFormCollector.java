package io.gale.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns multipart events into Tornado's {@code arguments} and {@code files} maps, applying the
 * {@code multipart/form-data} rules of Tornado's {@code parse_multipart_form_data}: every part
 * needs {@code Content-Disposition: form-data} with a non-empty {@code name}; a part with a
 * non-empty {@code filename} is a file, any other is an argument decoded as UTF-8.
 *
 * <p>Not thread-safe; used by one parser on one thread.
 */
final class MultipartFormCollector implements MultipartParser.Listener {
    private final Map<String, List<String>> arguments;
    private final Map<String, List<HttpFile>> files;

    private PartHeaders headers;
    private String name;
    private String filename;
    private byte[] data;
    private int size;

    MultipartFormCollector(Map<String, List<String>> arguments, Map<String, List<HttpFile>> files) {
        this.arguments = arguments;
        this.files = files;
    }

    @Override
    public void partStart(PartHeaders h) throws HttpFormException {
        HeaderValue disposition = h.contentDisposition();
        if (!disposition.value().toLowerCase(Locale.ROOT).equals("form-data")) {
            throw new HttpFormException("multipart part without Content-Disposition: form-data");
        }
        String n = disposition.param("name");
        if (n == null || n.isEmpty()) throw new HttpFormException("multipart/form-data part without a name");
        headers = h;
        name = n;
        filename = disposition.param("filename");
        data = null;
        size = 0;
    }

    @Override
    public void partData(ByteBuffer slice) {
        int len = slice.remaining();
        if (data == null) {
            data = new byte[len]; // one slice is the common case: sized exactly, never copied again
        } else if (size + len > data.length) {
            data = Arrays.copyOf(data, Math.max(size + len, data.length * 2));
        }
        slice.get(slice.position(), data, size, len);
        size += len;
    }

    @Override
    public void partEnd() {
        byte[] body = data == null ? new byte[0] : size == data.length ? data : Arrays.copyOf(data, size);
        if (filename != null && !filename.isEmpty()) {
            String type = headers.contentType();
            HttpFile file = new HttpFile(filename, type == null ? "application/unknown" : type, body, headers);
            files.computeIfAbsent(name, k -> new ArrayList<>(1)).add(file);
        } else {
            arguments.computeIfAbsent(name, k -> new ArrayList<>(1)).add(new String(body, StandardCharsets.UTF_8));
        }
        data = null;
        headers = null;
    }
}
