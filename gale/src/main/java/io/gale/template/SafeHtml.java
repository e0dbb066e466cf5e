package io.gale.template;

import java.util.Objects;

/**
 * Markup that templates insert without escaping (Tornado's {@code {% raw %}}, Jinja's
 * {@code Markup}): what {@code linkify}, {@code xhtmlEscape}, {@code module} and
 * {@code xsrfFormHtml} return. Put a value in the namespace as SafeHtml only when you produced
 * its markup yourself; text from users must stay a plain String so that it is escaped.
 *
 * @param html the markup, inserted as it is
 */
public record SafeHtml(String html) {
    /**
     * Creates a {@code SafeHtml}; its components are described in the class comment.
     */
    public SafeHtml {
        Objects.requireNonNull(html, "html");
    }

    /**
     * {@code html} marked safe.
     *
     * @return the safe HTML
     */
    public static SafeHtml of(String html) {
        return new SafeHtml(html);
    }

    @Override
    public String toString() {
        return html;
    }
}
