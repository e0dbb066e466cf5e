package io.gale.template;

/**
 * A template that could not be parsed or failed while rendering. The message names the template
 * and line first ({@code "blog/entry.html:12: Unexpected token ..."}), so the error's log line
 * and the traceback page say where; the cause is the original error (a parser error, or the
 * exception thrown by code the template called). Unchecked: like any handler exception it
 * becomes a 500 page.
 */
public class TemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /**
     * The template name.
     */
    private final String templateName;
    /**
     * The line.
     */
    private final int line;

    /**
     * Creates a {@code TemplateException}.
     *
     * @param templateName the template where it happened, or null if unknown
     * @param line the 1-based line, or 0 if unknown
     * @param detail what went wrong
     * @param cause the original error, or null
     */
    public TemplateException(String templateName, int line, String detail, Throwable cause) {
        super(location(templateName, line) + detail, cause);
        this.templateName = templateName;
        this.line = line;
    }

    private static String location(String name, int line) {
        if (name == null) {
            return "";
        }
        return line > 0 ? name + ":" + line + ": " : name + ": ";
    }

    /**
     * The template where the error happened, or null if unknown.
     *
     * @return the template where the error happened, or null if unknown
     */
    public String templateName() {
        return templateName;
    }

    /**
     * The 1-based line of the error, or 0 if unknown.
     *
     * @return the 1-based line of the error, or 0 if unknown
     */
    public int line() {
        return line;
    }
}
