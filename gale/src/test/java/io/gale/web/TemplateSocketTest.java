package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code render} over a real socket, read by the JDK HttpClient: the page with its module
 * resources, its length and ETag, gzip, a virtual-thread handler, and a template error as 500.
 */
@Timeout(60)
class TemplateSocketTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> get(HttpClient http, int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void renderOverASocket() throws Exception {
        Files.writeString(dir.resolve("base.html"),
                "<html><head><title>{% block title %}{% endblock %}</title></head><body>{% block body %}{% endblock %}</body></html>");
        Files.writeString(dir.resolve("home.html"), """
                {% extends "base.html" %}{% block title %}{{ title }}{% endblock %}\
                {% block body %}{% for e in entries %}{% module Entry(e) %}{% endfor %}{% endblock %}""");
        Files.writeString(dir.resolve("entry.html"), "<p>{{ entry }}</p>");
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/entry.html"), "<article>{{ entry }}|{{ note }}</article>");
        Files.writeString(dir.resolve("broken.html"), "ok\n{{ 1 +* 2 }}");
        Application app = new Application(List.of(), ApplicationSettings.builder().templatePath(dir)
                .uiModules(Map.of("Entry", TemplateTest.EntryModule.class)).build());
        app.get("/", h -> h.render("home.html", Map.of("title", "Gale & friends", "entries", List.of("é", "<x>"))));
        app.get("/broken", h -> h.render("broken.html"));
        app.addHandlers(".*", List.of(Route.url("/vt", VirtualThreadPage.class)));
        try (HttpServer server = app.listen(0, "127.0.0.1");
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            int port = server.boundPorts().get(0);
            HttpResponse<String> r = get(http, port, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
            String page = r.body();
            assertThat(page).startsWith("<html><head><title>Gale &amp; friends</title>")
                    .contains("<article>é|-</article><article>&lt;x&gt;|-</article>")
                    .contains("<link href=\"/static/entry.css\"").endsWith("</body></html>");
            assertThat(r.headers().firstValue("Content-Length")).hasValue(
                    Integer.toString(page.getBytes(StandardCharsets.UTF_8).length));
            String etag = r.headers().firstValue("Etag").orElseThrow();
            assertThat(get(http, port, "/", "If-None-Match", etag).statusCode()).isEqualTo(304);

            HttpResponse<String> vt = get(http, port, "/vt");
            assertThat(vt.body()).isEqualTo("<p>virtual &lt;thread&gt;</p>");

            HttpResponse<String> broken = get(http, port, "/broken");
            assertThat(broken.statusCode()).isEqualTo(500);
            assertThat(broken.body()).doesNotContain("broken.html");
        }
    }

    @RunOnVirtualThread
    public static final class VirtualThreadPage extends RequestHandler {
        public void get() {
            render("entry.html", Map.of("entry", "virtual <thread>"));
        }
    }
}
