package io.gale.http;

/**
 * Limits applied while parsing request bodies as forms (Tornado's
 * {@code ParseMultipartConfig}/{@code ParseBodyConfig}). Immutable.
 *
 * <pre>{@code
 * FormLimits limits = FormLimits.builder().maxParts(500).build();
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
     * The defaults listed on the record components ({@link #DEFAULTS}).
     *
     * @return the defaults
     */
    public static FormLimits defaults() {
        return DEFAULTS;
    }

    /**
     * Creates a {@code FormLimits}; its components are described in the class comment.
     */
    public FormLimits {
        if (maxParts < 0 || maxPartHeaderSize < 0 || maxFields < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    /**
     * A builder starting from the defaults ({@link #defaults()}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /**
     * A builder starting from these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builder of {@link FormLimits}: starts from the defaults ({@link #builder()}) or from existing
     * options ({@link #toBuilder()}); {@link #build()} validates. Not thread-safe.
     */
    public static final class Builder {
        private boolean multipartEnabled;
        private int maxParts;
        private int maxPartHeaderSize;
        private int maxFields;

        private Builder(FormLimits from) {
            multipartEnabled = from.multipartEnabled;
            maxParts = from.maxParts;
            maxPartHeaderSize = from.maxPartHeaderSize;
            maxFields = from.maxFields;
        }

        /**
         * Sets {@link FormLimits#multipartEnabled()}.
         *
         * @param enabled the value (defaults and limits: the table on {@link FormLimits})
         * @return this builder
         */
        public Builder multipartEnabled(boolean enabled) {
            this.multipartEnabled = enabled;
            return this;
        }

        /**
         * Sets {@link FormLimits#maxParts()}.
         *
         * @param max the value (defaults and limits: the table on {@link FormLimits})
         * @return this builder
         */
        public Builder maxParts(int max) {
            this.maxParts = max;
            return this;
        }

        /**
         * Sets {@link FormLimits#maxPartHeaderSize()}.
         *
         * @param max the value (defaults and limits: the table on {@link FormLimits})
         * @return this builder
         */
        public Builder maxPartHeaderSize(int max) {
            this.maxPartHeaderSize = max;
            return this;
        }

        /**
         * Sets {@link FormLimits#maxFields()}.
         *
         * @param max the value (defaults and limits: the table on {@link FormLimits})
         * @return this builder
         */
        public Builder maxFields(int max) {
            this.maxFields = max;
            return this;
        }

        /**
         * Builds the options, validated as the record's constructor says.
         *
         * @return the options
         */
        public FormLimits build() {
            return new FormLimits(multipartEnabled, maxParts, maxPartHeaderSize, maxFields);
        }
    }
}
