package io.gale.http;

/**
 * Limits applied while parsing request bodies as forms (Tornado's
 * {@code ParseMultipartConfig}/{@code ParseBodyConfig}). Immutable.
 *
 * <pre>{@code
 * FormLimits limits = FormLimits.DEFAULTS.withMaxParts(500);
 * }</pre>
 *
 * @param multipartEnabled  whether {@code multipart/form-data} bodies are parsed at all
 *                          (when not, they are rejected); default {@code true}
 * @param maxParts          most parts in one multipart body; default 100, as Tornado 6.5.5
 * @param maxPartHeaderSize most bytes in the header block of one multipart part; default 10240
 * @param maxFields         most fields in one urlencoded body; default 10000 (Tornado has no
 *                          such limit; huge field counts only serve to burn CPU and memory)
 */
public record FormLimits(boolean multipartEnabled, int maxParts, int maxPartHeaderSize, int maxFields) {
    /** The defaults described on the record components. */
    public static final FormLimits DEFAULTS = new FormLimits(true, 100, 10240, 10_000);

    /**
     * Creates a {@code FormLimits}; its components are described in the class comment.
     */
    public FormLimits {
        if (maxParts < 0 || maxPartHeaderSize < 0 || maxFields < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    /**
     * A copy with {@code multipartEnabled} replaced.
     *
     * @param enabled whether {@code multipart/form-data} bodies are parsed at all (when not, they are rejected); default {@code true}
     * @return a copy with this value replaced
     */
    public FormLimits withMultipartEnabled(boolean enabled) {
        return new FormLimits(enabled, maxParts, maxPartHeaderSize, maxFields);
    }

    /**
     * A copy with {@code maxParts} replaced.
     *
     * @param max most parts in one multipart body; default 100, as Tornado 6.5.5
     * @return a copy with this value replaced
     */
    public FormLimits withMaxParts(int max) {
        return new FormLimits(multipartEnabled, max, maxPartHeaderSize, maxFields);
    }

    /**
     * A copy with {@code maxPartHeaderSize} replaced.
     *
     * @param max most bytes in the header block of one multipart part; default 10240
     * @return a copy with this value replaced
     */
    public FormLimits withMaxPartHeaderSize(int max) {
        return new FormLimits(multipartEnabled, maxParts, max, maxFields);
    }

    /**
     * A copy with {@code maxFields} replaced.
     *
     * @param max most fields in one urlencoded body; default 10000 (Tornado has no such limit; huge field counts only serve to burn CPU and memory)
     * @return a copy with this value replaced
     */
    public FormLimits withMaxFields(int max) {
        return new FormLimits(multipartEnabled, maxParts, maxPartHeaderSize, max);
    }
}
