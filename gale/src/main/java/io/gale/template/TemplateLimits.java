package io.gale.template;

/**
 * What Gale's Pebble engine refuses. Templates are the application's own code, so these guard
 * against mistakes (a recursive macro, a runaway loop, a huge file put in the template directory),
 * not against hostile templates: never render a template written by a user.
 *
 * <pre>{@code
 * PebbleTemplateEngine.builder().limits(TemplateLimits.builder().maxRenderedChars(1 << 20).build())
 * }</pre>
 *
 * @param maxTemplateBytes bytes of one template source (default 1 MiB): a larger one is a
 *     {@link TemplateException} when it is loaded, before parsing
 * @param maxRenderedChars characters one render may produce (default 0: unlimited, as Pebble;
 *     a limit costs a counter update per write): exceeding it is a {@link TemplateException}
 *     (Pebble's defence against "macro bombs")
 */
public record TemplateLimits(int maxTemplateBytes, int maxRenderedChars) {
    /** The defaults listed on the record components. */
    public static final TemplateLimits DEFAULTS = builder().build();

    /**
     * The defaults listed on the record components ({@link #DEFAULTS}).
     *
     * @return the defaults
     */
    public static TemplateLimits defaults() {
        return DEFAULTS;
    }

    /** Validates: a template may have at least 1 byte; the rendered limit is 0 (none) or positive. */
    public TemplateLimits {
        if (maxTemplateBytes < 1 || maxRenderedChars < 0) {
            throw new IllegalArgumentException("maxTemplateBytes must be positive, maxRenderedChars >= 0: "
                    + maxTemplateBytes + ", " + maxRenderedChars);
        }
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these values, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxTemplateBytes = maxTemplateBytes;
        b.maxRenderedChars = maxRenderedChars;
        return b;
    }

    /** Builder of {@link TemplateLimits}; not thread-safe. */
    public static final class Builder {
        private int maxTemplateBytes = 1 << 20;
        private int maxRenderedChars;

        private Builder() {
        }

        /**
         * See {@link TemplateLimits#maxTemplateBytes()}.
         *
         * @param v bytes of one template source (default 1 MiB): a larger one is a {@link TemplateException} when it is loaded, before parsing
         * @return this builder
         */
        public Builder maxTemplateBytes(int v) {
            maxTemplateBytes = v;
            return this;
        }

        /**
         * See {@link TemplateLimits#maxRenderedChars()}.
         *
         * @param v characters one render may produce (default 0: unlimited, as Pebble; a limit costs a counter update per write): exceeding it is a {@link TemplateException} (Pebble's defence against "macro bombs")
         * @return this builder
         */
        public Builder maxRenderedChars(int v) {
            maxRenderedChars = v;
            return this;
        }

        /**
         * Builds the {@code TemplateLimits}.
         *
         * @return the template limits
         */
        public TemplateLimits build() {
            return new TemplateLimits(maxTemplateBytes, maxRenderedChars);
        }
    }
}
