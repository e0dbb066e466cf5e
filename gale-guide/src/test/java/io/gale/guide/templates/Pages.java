package io.gale.guide.templates;

import static io.gale.web.Route.url;

import io.gale.template.TemplateArgs;
import io.gale.template.UIModule;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.RequestHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The templates chapter: render(), a UI module, static files. */
final class Pages {
    private Pages() {
    }

    // tag::handler[]
    record Entry(String slug, String title) {}

    public static final class HomeHandler extends RequestHandler {
        public void get() {
            render("home.html", Map.of(
                    "title", "Latest <entries>",                // escaped in the page
                    "entries", List.of(new Entry("hello", "Hello, world"))));
        }
    }

    public static final class EntryHandler extends RequestHandler {
        public void get(String slug) {
            write(slug);
        }
    }
    // end::handler[]

    // tag::module[]
    public static final class EntryModule extends UIModule {
        @Override
        public String render(TemplateArgs args) {
            return renderString("modules/entry.html", Map.of("entry", args.get(0)));
        }

        @Override
        public List<String> cssFiles() {
            return List.of("entry.css");                 // linked once in <head>, however many entries
        }
    }
    // end::module[]

    // tag::app[]
    static Application makeApp(Path staticDir) {
        return new Application(List.of(
                url("/", HomeHandler.class),
                url("/entry/([a-z0-9-]+)", EntryHandler.class, Map.of(), "entry")),
            ApplicationSettings.builder()
                // templatePath(...) is optional: by default templates come from the class path
                // folder "templates" (src/main/resources/templates)
                .staticPath(staticDir)                           // /static/..., /favicon.ico, /robots.txt
                .uiModules(Map.of("Entry", EntryModule.class))
                .xsrfCookies(true)
                .cookieSecret("a secret of at least 32 random bytes, not this")
                .build());
    }
    // end::app[]
}
