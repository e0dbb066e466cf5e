package io.gale.demos.blog;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * An entry's Markdown to HTML, with commonmark-java (CommonMark 0.31), rendered once when the
 * entry is saved and stored beside the source, as Tornado's demo does.
 *
 * <p><b>Decision: the HTML is safe for any reader, whoever wrote the Markdown.</b> Only logged-in
 * authors write entries, but an author's session can be stolen and a pasted snippet can carry a
 * script, and the same HTML goes into the Atom feed that other programs display. So raw HTML in
 * the Markdown is escaped (shown as text, {@code escapeHtml}), and link and image URLs other than
 * {@code http:}, {@code https:}, {@code mailto:} and {@code data:image/...} are neutralised
 * ({@code sanitizeUrls}: a {@code javascript:} link becomes an empty href). What remains is
 * CommonMark's own output, which is well-formed XHTML. An author who needs raw HTML would switch
 * {@code escapeHtml} off and add an HTML sanitiser; this demo does not.
 *
 * <p>Thread-safe (commonmark's parser and renderer are immutable and shared).
 */
final class Markdown {
    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .escapeHtml(true)
            .sanitizeUrls(true)
            .build();

    private Markdown() {
    }

    static String toHtml(String markdown) {
        return RENDERER.render(PARSER.parse(markdown));
    }
}
