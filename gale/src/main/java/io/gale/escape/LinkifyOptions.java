package io.gale.escape;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Options of {@link Escape#linkify(String, LinkifyOptions)}, Tornado's keyword arguments.
 *
 * <pre>{@code
 * LinkifyOptions o = LinkifyOptions.builder().shorten(true).extraParams("rel=\"nofollow\"").build();
 * String html = Escape.linkify(comment, o);
 * }</pre>
 *
 * @param shorten long link texts are cut to about 30 characters (host and the start of the
 *     path, then "..."), the full URL going to the {@code title} attribute; default false
 * @param extraParams the attributes of each {@code <a>} from its {@code href} (HTML-escaped), inserted
 *     as returned (not escaped: they are the caller's HTML), stripped, after a space; null for none
 *     (default)
 * @param requireProtocol only URLs with a protocol are linked, not bare {@code www.} ones; default false
 * @param permittedProtocols the protocols linked, compared case-sensitively as Tornado does;
 *     default {@code http} and {@code https}. {@code javascript}, {@code vbscript} and
 *     {@code data} are never linked, even when listed here.
 */
public record LinkifyOptions(boolean shorten, UnaryOperator<String> extraParams, boolean requireProtocol,
                             List<String> permittedProtocols) {

    /** Tornado's defaults. */
    public static final LinkifyOptions DEFAULTS = builder().build();

    /**
     * The defaults listed on the record components ({@link #DEFAULTS}).
     *
     * @return the defaults
     */
    public static LinkifyOptions defaults() {
        return DEFAULTS;
    }

    /** Copies the protocol list; it must not be null. */
    public LinkifyOptions {
        permittedProtocols = List.copyOf(Objects.requireNonNull(permittedProtocols, "permittedProtocols"));
    }

    /**
     * A builder starting from {@link #DEFAULTS}.
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
        b.shorten = shorten;
        b.extraParams = extraParams;
        b.requireProtocol = requireProtocol;
        b.permittedProtocols = permittedProtocols;
        return b;
    }

    /** Builder of {@link LinkifyOptions}; not thread-safe. */
    public static final class Builder {
        private boolean shorten;
        private UnaryOperator<String> extraParams;
        private boolean requireProtocol;
        private List<String> permittedProtocols = List.of("http", "https");

        private Builder() {
        }

        /**
         * See {@link LinkifyOptions#shorten()}.
         *
         * @param shorten long link texts are cut to about 30 characters (host and the start of the path, then "..."), the full URL going to the {@code title} attribute; default false
         * @return this builder
         */
        public Builder shorten(boolean shorten) {
            this.shorten = shorten;
            return this;
        }

        /**
         * Fixed attributes for every link, e.g. {@code rel="nofollow" class="external"}; they are
         * inserted as given (not escaped), stripped; an empty string adds nothing.
         *
         * @param attributes the attributes of each {@code <a>} from its {@code href} (HTML-escaped), inserted as returned (not escaped: they are the caller's HTML), stripped, after a space; null for none (default)
         * @return this builder
         */
        public Builder extraParams(String attributes) {
            Objects.requireNonNull(attributes, "attributes");
            this.extraParams = attributes.isEmpty() ? null : href -> attributes;
            return this;
        }

        /**
         * Attributes computed from each link's {@code href} (already HTML-escaped), e.g. to mark
         * only external links {@code rel="nofollow"}; the result is inserted stripped, after a space.
         *
         * @param fromHref the attributes of each {@code <a>} from its {@code href} (HTML-escaped), inserted as returned (not escaped: they are the caller's HTML), stripped, after a space; null for none (default)
         * @return this builder
         */
        public Builder extraParams(UnaryOperator<String> fromHref) {
            this.extraParams = Objects.requireNonNull(fromHref, "fromHref");
            return this;
        }

        /**
         * See {@link LinkifyOptions#requireProtocol()}.
         *
         * @param requireProtocol only URLs with a protocol are linked, not bare {@code www.} ones; default false
         * @return this builder
         */
        public Builder requireProtocol(boolean requireProtocol) {
            this.requireProtocol = requireProtocol;
            return this;
        }

        /**
         * See {@link LinkifyOptions#permittedProtocols()}.
         *
         * @param protocols the protocols linked, compared case-sensitively as Tornado does; default {@code http} and {@code https}. {@code javascript}, {@code vbscript} and {@code data} are never linked, even when listed here.
         * @return this builder
         */
        public Builder permittedProtocols(List<String> protocols) {
            this.permittedProtocols = protocols;
            return this;
        }

        /**
         * Builds the {@code LinkifyOptions}.
         *
         * @return the linkify options
         */
        public LinkifyOptions build() {
            return new LinkifyOptions(shorten, extraParams, requireProtocol, permittedProtocols);
        }
    }
}
