package io.gale.demos.fileupload;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.TestServer;
import io.gale.demos.testing.Browser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The upload page in headless Chromium: pick files in the form (the path typed into the file
 * input, as Selenium does), submit, and see each file's SHA-256 on the answer page, the same as
 * computed here and as stored on disk. Takes the demo's main-page screenshot
 * ({@code docs/demos/file_upload.png}, see {@link Browser#demoScreenshot}).
 */
@Timeout(120)
class FileUploadBrowserTest {
    @TempDir
    static Path work;
    private static Browser browser;
    private static TestServer server;
    private static Path store;

    @BeforeAll
    static void start() throws Exception {
        store = work.resolve("store");
        server = TestServer.start(FileUploadDemo.application(new UploadDirectory(store, new UploadDirectory.Listener() {
        }), UploadLimits.DEFAULTS), FileUploadDemo.serverOptions());
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pickAFileAndSeeItsSha256() throws Exception {
        byte[] data = FileUploadDemoTest.random(300_000, 7);
        Path file = Files.write(work.resolve("holiday photo.jpg"), data);

        Browser.Session s = browser.session();
        s.get(server.baseUrl() + "/");
        assertThat(s.driver().getTitle()).isEqualTo("Gale file upload");
        s.find(By.id("file")).sendKeys(file.toString());
        s.screenshot(Browser.demoScreenshot("file_upload"));
        s.find(By.id("upload")).click();

        WebElement sha = s.waitUntil(d -> d.findElement(By.cssSelector("#files td.sha256")));
        assertThat(sha.getText()).isEqualTo(FileUploadDemoTest.sha256(data));
        assertThat(s.find(By.cssSelector("#files td.name")).getText()).isEqualTo("holiday photo.jpg");
        assertThat(s.find(By.cssSelector("#files td.size")).getAttribute("data-bytes")).isEqualTo("300000");
        assertThat(FileUploadDemoTest.sha256(store.resolve("holiday photo.jpg"))).isEqualTo(sha.getText());
    }

    @Test
    void pickSeveralFilesAtOnce() throws Exception {
        Path a = Files.writeString(work.resolve("a.txt"), "first", StandardCharsets.UTF_8);
        Path b = Files.writeString(work.resolve("ünïcödé.txt"), "second", StandardCharsets.UTF_8);

        Browser.Session s = browser.session();
        s.get(server.baseUrl() + "/");
        s.find(By.id("file")).sendKeys(a + "\n" + b); // a multiple file input takes one path per line
        s.find(By.id("upload")).click();

        List<WebElement> rows = s.waitUntil(d -> {
            List<WebElement> r = d.findElements(By.cssSelector("#files tr.file"));
            return r.size() == 2 ? r : null;
        });
        assertThat(rows.get(0).findElement(By.className("name")).getText()).isEqualTo("a.txt");
        assertThat(rows.get(0).findElement(By.className("sha256")).getText())
                .isEqualTo(FileUploadDemoTest.sha256("first".getBytes(StandardCharsets.UTF_8)));
        assertThat(rows.get(1).findElement(By.className("name")).getText()).isEqualTo("ünïcödé.txt");
        assertThat(rows.get(1).findElement(By.className("sha256")).getText())
                .isEqualTo(FileUploadDemoTest.sha256("second".getBytes(StandardCharsets.UTF_8)));

        s.find(By.id("again")).click();
        s.waitUntil(d -> d.getTitle().equals("Gale file upload"));
    }
}
