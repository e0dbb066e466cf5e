package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.template.TemplateArgs;
import io.gale.template.UIModule;
import io.gale.testing.InMemoryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's templates example, compiled and run as written. */
@Timeout(30)
class TemplateReadmeExampleTest {
    record Entry(String slug, String title) {
    }

    // --- README example starts
    public static final class HomeHandler extends RequestHandler {
        public void get() {
            render("home.html", Map.of("entries", List.of(new Entry("hello", "Hello, <world>"))));
        }
    }

    public static final class EntryModule extends UIModule {
        @Override
        public String render(TemplateArgs args) {
            return renderString("modules/entry.html", Map.of("entry", args.get(0)));
        }

        @Override
        public List<String> cssFiles() {
            return List.of("entry.css");
        }
    }

    static Application app(Path templates) {
        return new Application(List.of(Route.url("/", HomeHandler.class)),
                ApplicationSettings.builder()
                        .templatePath(templates)                       // default: class path folder "templates"
                        .uiModules(Map.of("Entry", EntryModule.class))
                        .debug(true)                                   // edited templates show on the next request
                        .build());
    }
    // --- README example ends

    @TempDir
    Path dir;

    @Test
    void theExampleRuns() throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("base.html"), """
                <html><head><title>{% block title %}Blog{% endblock %}</title></head>
                <body>{% block body %}{% endblock %}</body></html>""");
        Files.writeString(dir.resolve("home.html"), """
                {% extends "base.html" %}
                {% block body %}{% for e in entries %}{% module Entry(e) %}{% endfor %}{% endblock %}""");
        Files.writeString(dir.resolve("modules/entry.html"), """
                <h2><a href="/entry/{{ entry.slug }}">{{ entry.title }}</a></h2>""");
        try (InMemoryClient c = new InMemoryClient(app(dir))) {
            assertThat(c.fetch("/").text()).isEqualTo("""
                    <html><head><title>Blog</title><link href="/static/entry.css" type="text/css" rel="stylesheet"/>
                    </head>
                    <body><h2><a href="/entry/hello">Hello, &lt;world&gt;</a></h2></body></html>""");
        }
    }
}
