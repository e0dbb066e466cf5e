package io.gale.demos.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The staticfiles demo over a real socket: the index links versioned URLs, which serve the files. */
@Timeout(30)
class StaticFilesDemoTest {
    @Test
    void indexLinksVersionedUrlsThatServeTheFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("style.css"), "body { margin: 0 }");
        Files.writeString(dir.resolve("index.html"), "<p>files</p>");
        try (TestServer server = TestServer.start(StaticFilesDemo.application(dir, false, true));
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String index = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("href=\"(/static/style\\.css\\?v=[0-9a-f]{128})\"").matcher(index);
            assertThat(m.find()).as(index).isTrue();
            HttpResponse<String> css = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + m.group(1)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(css.statusCode()).isEqualTo(200);
            assertThat(css.body()).isEqualTo("body { margin: 0 }");
            assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css");
            assertThat(css.headers().firstValue("Cache-Control")).hasValue("max-age=315360000");
        }
    }
}
