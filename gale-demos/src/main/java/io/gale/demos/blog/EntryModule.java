package io.gale.demos.blog;

import io.gale.template.TemplateArgs;
import io.gale.template.UIModule;
import java.util.Map;

/**
 * {@code {% module Entry(entry) %}}: one entry as the home and entry pages show it (Tornado's
 * {@code EntryModule}), from {@code modules/entry.html}: title, date, body, and an edit link for
 * authors. Public with a public constructor: Gale creates one per request.
 */
public final class EntryModule extends UIModule {
    public EntryModule() {
    }

    @Override
    public String render(TemplateArgs args) {
        return renderString("modules/entry.html", Map.of("entry", args.get(0)));
    }
}
