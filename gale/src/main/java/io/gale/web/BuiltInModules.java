package io.gale.web;

import io.gale.escape.Escape;
import io.gale.escape.LinkifyOptions;
import io.gale.template.TemplateArgs;
import io.gale.template.UIModule;

/** Tornado's built-in UI modules: {@code Template} and {@code linkify}. */
final class BuiltInModules {
    private BuiltInModules() {
    }

    /** {@code {% module Template("name.html", key=value) %}}: renders another template with those values. */
    static final class TemplateModule extends UIModule {
        @Override
        public String render(TemplateArgs args) {
            return renderString(args.string(0), args.named());
        }
    }

    /** {@code {% module linkify(text) %}}: {@link Escape#linkify} with Tornado's defaults. */
    static final class LinkifyModule extends UIModule {
        @Override
        public String render(TemplateArgs args) {
            Object text = args.get(0);
            return Escape.linkify(text == null ? "" : text.toString(), LinkifyOptions.DEFAULTS);
        }
    }
}
