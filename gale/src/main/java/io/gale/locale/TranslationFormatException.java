package io.gale.locale;

import java.io.IOException;

/**
 * A translation file Gale cannot read: bytes that are not valid in the file's encoding, a
 * malformed {@code .po} or {@code .mo} file, a bad {@code Plural-Forms} expression, or a file over
 * the size limit. The message names the file and, where it can, the line or entry.
 */
public class TranslationFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a {@code TranslationFormatException}.
     *
     * @param message the detail message
     */
    public TranslationFormatException(String message) {
        super(message);
    }

    /**
     * Creates a {@code TranslationFormatException}.
     *
     * @param message the detail message
     * @param cause the cause
     */
    public TranslationFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
