package io.gale.demos.fileupload;

import io.gale.escape.Escape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The demo's HTML: one frame ({@code page.html}, with the style sheet) around the upload form
 * ({@code index.html}), the list of stored files, or an error. Every value placed in a page is
 * escaped. Stateless and thread-safe.
 */
final class Pages {
    private static final String FRAME = resource("page.html");
    private static final String INDEX = resource("index.html");

    private Pages() {
    }

    /** The page at {@code /}; {@code origin} is how the client reached us (for the examples). */
    static String index(UploadLimits limits, String origin) {
        return frame("Gale file upload", INDEX
                .replace("${maxSize}", Escape.xhtmlEscape(Sizes.format(limits.maxBodySize())))
                .replace("${origin}", Escape.xhtmlEscape(origin)));
    }

    /** The answer to an upload from the browser's form. */
    static String uploaded(List<StoredFile> files) {
        StringBuilder b = new StringBuilder("<h1>Uploaded</h1>\n");
        if (files.isEmpty()) {
            b.append("<p id=\"none\">No file was chosen.</p>\n");
        } else {
            b.append("<table id=\"files\">\n<tr><th>Name</th><th>Size</th><th>SHA-256</th></tr>\n");
            for (StoredFile f : files) {
                b.append("<tr class=\"file\"><td class=\"name\">").append(Escape.xhtmlEscape(f.name()))
                        .append("</td><td class=\"size\" data-bytes=\"").append(f.size()).append("\">")
                        .append(Escape.xhtmlEscape(Sizes.format(f.size())))
                        .append("</td><td class=\"sha256\">").append(f.sha256()).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        b.append("<p><a id=\"again\" href=\"/\">Upload more</a></p>\n");
        return frame("Uploaded", b.toString());
    }

    /** An error page. */
    static String error(int status, String reason, String message) {
        return frame(status + " " + reason, "<h1 class=\"error\">" + status + " " + Escape.xhtmlEscape(reason) + "</h1>\n<p>"
                + Escape.xhtmlEscape(message) + "</p>\n<p><a href=\"/\">Back</a></p>\n");
    }

    private static String frame(String title, String body) {
        return FRAME.replace("${title}", Escape.xhtmlEscape(title)).replace("${body}", body);
    }

    private static String resource(String name) {
        try (InputStream in = Pages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
