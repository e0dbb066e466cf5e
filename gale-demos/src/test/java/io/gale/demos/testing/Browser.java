package io.gale.demos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.bidi.browsingcontext.BrowsingContext;
import org.openqa.selenium.bidi.browsingcontext.CreateContextParameters;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for the demos' browser tests: Debian's {@code /usr/bin/chromium} driven
 * through {@code /usr/bin/chromedriver} by Selenium, with a fresh temporary profile, no sandbox
 * (tests run as root), no GPU, no QUIC and no background traffic (sync, component updates,
 * first-run pages). Host names other than {@code localhost} do not resolve, so a page can reach
 * nothing but loopback.
 *
 * <pre>{@code
 * @Timeout(120)
 * class MyDemoBrowserTest {
 *     static Browser browser;
 *
 *     @BeforeAll static void open() { browser = Browser.start(); }   // one browser per class
 *     @AfterAll static void quit() { browser.close(); }
 *
 *     @Test void page() {
 *         Browser.Session s = browser.session();
 *         s.get(server.baseUrl() + "/");
 *         s.waitUntil(d -> s.find(By.id("messages")).isDisplayed());
 *         s.screenshot(Browser.demoScreenshot("mydemo"));
 *     }
 * }
 * }</pre>
 *
 * <p><b>Offline.</b> Selenium Manager (which downloads drivers and browsers) is never run:
 * the driver's path is given to the {@link ChromeDriverService}, and Selenium's driver finder
 * skips the manager when the service names its executable; the browser binary is set too. A
 * missing {@code chromium} or {@code chromedriver} fails {@link #start()} with the Debian package
 * to install.
 *
 * <p><b>Sessions.</b> {@link #session()} is the browser's first window. {@link #newSession()}
 * opens another window in a new WebDriver BiDi user context (Chrome's incognito-like browser
 * context; BiDi is switched on for this, chromedriver refuses the CDP command): its cookies and
 * storage are its own, so two sessions are two independent users, in the same browser process.
 * A session switches the driver to its window before each call.
 *
 * <p><b>Waiting.</b> {@link Session#waitUntil} polls a condition with a bounded
 * {@link WebDriverWait} (default 10 s); tests never sleep.
 *
 * <p><b>Threading.</b> Not thread-safe: one test thread drives the browser (JUnit runs a class's
 * tests one after another).
 */
public final class Browser implements AutoCloseable {
    /** How long {@link Session#waitUntil(Function)} waits by default. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final Session first;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
        this.first = new Session(driver.getWindowHandle(), null);
    }

    /**
     * Starts Chromium and its driver.
     *
     * @throws IllegalStateException if chromium or chromedriver is missing (with the Debian
     *     packages to install) or the browser does not start (with the driver's log)
     */
    public static Browser start() {
        requireExecutable(CHROMIUM, "chromium");
        requireExecutable(CHROMEDRIVER, "chromium-driver");
        Path profile;
        Path driverLog;
        try {
            profile = Files.createTempDirectory("gale-chromium-");
            driverLog = profile.resolve("chromedriver.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.setCapability("webSocketUrl", true); // WebDriver BiDi, for user contexts (newSession)
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-default-apps",
                "--disable-features=Translate,MediaRouter,OptimizationHints",
                // Background windows keep running their timers and fetches (two-session chat tests).
                "--disable-background-timer-throttling",
                "--disable-backgrounding-occluded-windows",
                "--disable-renderer-backgrounding",
                // Loopback only: every host name but localhost fails to resolve (IP literals
                // such as 127.0.0.1 do not go through the resolver).
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]",
                "--window-size=1200,900",
                "--user-data-dir=" + profile.resolve("profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .build();
        try {
            return new Browser(new ChromeDriver(service, options), service, profile);
        } catch (RuntimeException e) {
            String log = tail(driverLog, 40);
            service.stop();
            TempDirectory.delete(profile);
            throw new IllegalStateException("Chromium did not start: " + e.getMessage()
                    + "\n--- chromedriver log (tail) ---\n" + log, e);
        }
    }

    private static void requireExecutable(Path path, String debianPackage) {
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " is missing: install Debian's " + debianPackage
                    + " (apt-get install chromium chromium-driver; .ci/run does this)");
        }
    }

    /** The raw driver (switched to whichever session was used last). */
    public WebDriver driver() {
        return driver;
    }

    /** The browser's first window. */
    public Session session() {
        return first;
    }

    /**
     * A new window in a browser context of its own: separate cookies and storage, same browser
     * process. Closed with the browser (or earlier by {@link Session#close()}).
     */
    public Session newSession() {
        Set<String> before = driver.getWindowHandles();
        String contextId = new org.openqa.selenium.bidi.module.Browser(driver).createUserContext();
        String handle = new BrowsingContext(driver, new CreateContextParameters(WindowType.WINDOW)
                .userContext(contextId)).getId();
        if (!driver.getWindowHandles().contains(handle)) {
            // chromedriver names windows by target id; say so plainly if that ever changes
            throw new IllegalStateException("new window " + handle + " not among the driver's windows "
                    + driver.getWindowHandles() + " (had " + before + ")");
        }
        return new Session(handle, contextId);
    }

    /**
     * Where a demo's main-page screenshot goes: {@code docs/demos/NAME.png} at the top of the
     * repository when it does not exist yet or when the tests run with
     * {@code -Dgale.updateScreenshots=true}; otherwise {@code target/demos/NAME.png}, so an
     * ordinary test run still takes the screenshot but does not rewrite the committed one (pages
     * show details such as the test server's port, which change every run).
     */
    public static Path demoScreenshot(String demo) {
        Path dir = Path.of("").toAbsolutePath();
        // Tests run in gale-demos/; the screenshots live beside the docs at the top level.
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/ directory above " + Path.of("").toAbsolutePath());
        }
        Path kept = dir.resolve("docs/demos/" + demo + ".png");
        if (!Files.exists(kept) || Boolean.getBoolean("gale.updateScreenshots")) {
            return kept;
        }
        return Path.of("target/demos/" + demo + ".png").toAbsolutePath();
    }

    /** Quits the browser and the driver and deletes the temporary profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            TempDirectory.delete(profile);
        }
    }

    /** One window (and, for {@link #newSession()}, its own browser context). */
    public final class Session {
        private final String handle;
        private final String contextId;

        private Session(String handle, String contextId) {
            this.handle = handle;
            this.contextId = contextId;
        }

        /** The driver, switched to this session's window. */
        public WebDriver driver() {
            if (!handle.equals(currentHandle())) {
                driver.switchTo().window(handle);
            }
            return driver;
        }

        private String currentHandle() {
            try {
                return driver.getWindowHandle();
            } catch (RuntimeException e) {
                return null; // the current window was closed
            }
        }

        /** Loads {@code url} (waits for the load event, as WebDriver's {@code get} does). */
        public void get(String url) {
            driver().get(url);
        }

        /** The first element matching {@code by}; fails at once if there is none. */
        public WebElement find(By by) {
            return driver().findElement(by);
        }

        /** All elements matching {@code by}. */
        public List<WebElement> findAll(By by) {
            return driver().findElements(by);
        }

        /** Waits up to {@link #DEFAULT_WAIT} for {@code condition} to return non-null / true. */
        public <T> T waitUntil(Function<WebDriver, T> condition) {
            return waitUntil(DEFAULT_WAIT, condition);
        }

        /**
         * Waits up to {@code timeout} for {@code condition} to return something other than null
         * or false (exceptions such as a missing element count as "not yet").
         *
         * @throws org.openqa.selenium.TimeoutException when it does not, with the page's URL
         */
        public <T> T waitUntil(Duration timeout, Function<WebDriver, T> condition) {
            WebDriver d = driver();
            return new WebDriverWait(d, timeout, Duration.ofMillis(50))
                    .withMessage(() -> "on " + d.getCurrentUrl())
                    .until(condition::apply);
        }

        /** Writes a PNG of the visible part of the page to {@code path} (directories created). */
        public Path screenshot(Path path) {
            byte[] png = ((ChromeDriver) driver()).getScreenshotAs(OutputType.BYTES);
            try {
                Path parent = path.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Files.write(path, png);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return path;
        }

        /** Closes this window (and disposes of its browser context); the first session stays. */
        public void close() {
            if (contextId == null) {
                throw new IllegalStateException("the first session closes with the browser");
            }
            new org.openqa.selenium.bidi.module.Browser(driver).removeUserContext(contextId);
            driver.switchTo().window(first.handle);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
