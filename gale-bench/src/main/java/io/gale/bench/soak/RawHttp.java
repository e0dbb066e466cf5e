package io.gale.bench.soak;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A response read from a raw socket: Content-Length, chunked, or to the end of the connection. */
record RawHttp(int status, Map<String, String> headers, byte[] body) {
    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    static RawHttp read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new EOFException("connection closed before a response");
        }
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("bad status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        String l;
        while ((l = line(in)) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            int n = Integer.parseInt(headers.get("content-length"));
            byte[] b = in.readNBytes(n);
            if (b.length != n) {
                throw new EOFException("body cut at " + b.length + " of " + n);
            }
            body.writeBytes(b);
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                String size = line(in);
                if (size == null) {
                    throw new EOFException("chunked body cut");
                }
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                if (n == 0) {
                    while ((l = line(in)) != null && !l.isEmpty()) {
                        // trailers: none expected
                    }
                    break;
                }
                byte[] b = in.readNBytes(n);
                if (b.length != n) {
                    throw new EOFException("chunk cut");
                }
                body.writeBytes(b);
                line(in);
            }
        } else if (code >= 200 && code != 204 && code != 304) {
            body.writeBytes(in.readAllBytes());
        }
        return new RawHttp(code, headers, body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return c == -1 && sb.isEmpty() ? null : sb.toString();
    }
}
