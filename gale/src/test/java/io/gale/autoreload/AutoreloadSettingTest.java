package io.gale.autoreload;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code autoreload} setting: implied by {@code debug}, switchable alone, and harmless in a
 * test run (listen serves in this JVM instead of turning it into a supervisor).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AutoreloadSettingTest {
    @Test
    void debugImpliesAutoreloadAndEachSettingIsSwitchableAlone() {
        assertThat(ApplicationSettings.defaults().autoreload()).isFalse();
        ApplicationSettings debug = ApplicationSettings.builder().debug(true).build();
        assertThat(debug.autoreload()).isTrue();
        assertThat(debug.serveTraceback()).isTrue();
        assertThat(debug.compiledTemplateCache()).isFalse();
        assertThat(debug.staticHashCache()).isFalse();
        ApplicationSettings some = ApplicationSettings.builder().debug(true).autoreload(false).staticHashCache(true).build();
        assertThat(some.autoreload()).isFalse();
        assertThat(some.staticHashCache()).isTrue();
        assertThat(some.serveTraceback()).isTrue();
        assertThat(ApplicationSettings.builder().autoreload(true).build().autoreload()).isTrue();
        assertThat(some.toBuilder().build().autoreload()).isFalse();
    }

    @Test
    void underATestRunnerListenServesHere() throws Exception {
        assertThat(Autoreload.isChild()).isFalse();
        assertThat(Autoreload.superviseFromMain()).isFalse();
        Application app = new Application(java.util.List.of(), ApplicationSettings.builder().debug(true).build());
        app.get("/", h -> h.write("served in the test JVM"));
        try (HttpServer server = app.listen(0, "127.0.0.1")) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.boundPorts().get(0) + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("served in the test JVM");
        }
    }

    @Test
    void outsideAChildTheChildHooksDoNothing() {
        Autoreload.watch(java.nio.file.Path.of("anything"));
        Autoreload.addReloadHook(() -> {
            throw new AssertionError("not a child: never runs");
        });
        assertThat(Autoreload.isChild()).isFalse();
    }
}
