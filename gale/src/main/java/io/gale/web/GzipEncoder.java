package io.gale.web;

import io.gale.http.HttpHeaders;
import io.gale.http.HttpStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The gzip output transform (Tornado's {@code GZipContentEncoding}): decides from the response
 * head whether to compress, then compresses the body piece by piece with a sync flush per piece,
 * so streamed responses reach the client as they are flushed. Not thread-safe: owned by the
 * request's thread; holds a {@link Deflater}, released by the last piece.
 */
final class GzipEncoder {
    static final int MIN_LENGTH = 1024;
    private static final int LEVEL = 6;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private final GZIPOutputStream gzip;

    private GzipEncoder() {
        try {
            gzip = new GZIPOutputStream(out, 8192, true) {
                {
                    def.setLevel(LEVEL);
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds {@code Vary} and returns an encoder if this response should be compressed: the client
     * accepts gzip, the type is compressible, nothing else encoded it, and the body is streamed or
     * long enough.
     */
    static GzipEncoder forResponse(int status, HttpHeaders requestHeaders, HttpHeaders headers, int firstChunkLength,
            boolean finishing) {
        if (!HttpStatus.permitsContent(status) || !compressibleType(headers.get("Content-Type"))) {
            return null;
        }
        String vary = headers.get("Vary");
        if (vary == null) {
            headers.set("Vary", "Accept-Encoding");
        } else if (!headers.containsValue("Vary", "Accept-Encoding", true)) {
            headers.set("Vary", vary + ", Accept-Encoding");
        }
        if (!acceptsGzip(requestHeaders) || headers.contains("Content-Encoding")
                || (finishing && firstChunkLength < MIN_LENGTH)) {
            return null;
        }
        headers.set("Content-Encoding", "gzip");
        headers.remove("Content-Length");
        return new GzipEncoder();
    }

    static boolean compressibleType(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String t = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.equals("application/json") || t.equals("application/javascript")
                || t.equals("application/x-javascript") || t.equals("application/xml") || t.endsWith("+xml")
                || t.endsWith("+json");
    }

    /** Whether {@code Accept-Encoding} lists gzip (or {@code *}) with a non-zero q-value. */
    static boolean acceptsGzip(HttpHeaders requestHeaders) {
        for (String value : requestHeaders.getAll("Accept-Encoding")) {
            for (String item : value.split(",")) {
                String[] params = item.split(";", -1);
                String coding = params[0].trim();
                if (!coding.equalsIgnoreCase("gzip") && !coding.equals("*")) {
                    continue;
                }
                boolean zero = false;
                for (int i = 1; i < params.length; i++) {
                    String p = params[i].trim();
                    if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                        try {
                            zero = Double.parseDouble(p.substring(2).trim()) <= 0;
                        } catch (NumberFormatException e) {
                            zero = true;
                        }
                    }
                }
                if (!zero) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Compresses {@code chunk}; with {@code last} the gzip trailer follows and the encoder is done. */
    ByteBuffer encode(ByteBuffer chunk, boolean last) {
        try {
            if (chunk.hasRemaining()) {
                gzip.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
            }
            if (last) {
                gzip.close();
            } else {
                gzip.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        ByteBuffer result = ByteBuffer.wrap(out.toByteArray());
        out.reset();
        return result;
    }
}
