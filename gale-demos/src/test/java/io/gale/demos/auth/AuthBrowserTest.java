package io.gale.demos.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.demos.testing.Browser;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The auth demo in headless Chromium, on its defaults ({@code localhost}, the local provider):
 * the start page says the provider is local, the login button leads to the provider's own login
 * page, the form there (a user name, claims as JSON) leads back to the demo's page with the
 * claims, and the logout form ends the session. A second, independent browser session reaches
 * the {@code @Authenticated} {@code /me} through the login and back. Takes the demo's
 * screenshot ({@code docs/demos/auth.png}, see {@link Browser#demoScreenshot}): the page with the
 * claims.
 */
@Timeout(180)
class AuthBrowserTest {
    /**
     * How long a step that goes through the provider may take: its first answers load its code
     * and make its key, seconds on a cold JVM and more on a loaded machine.
     */
    private static final Duration LOGIN_WAIT = Duration.ofSeconds(60);

    private static Browser browser;
    private static AuthDemo.Running demo;

    @BeforeAll
    static void start() throws Exception {
        demo = AuthDemoTest.serve("--port", "0"); // localhost, as a user starts it
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void logInThroughTheLocalProvidersPageSeeTheClaimsAndLogOut() {
        String base = demo.baseUrl();
        assertThat(base).startsWith("http://localhost:");
        Browser.Session s = browser.session();
        s.get(base + "/");
        assertThat(s.driver().getTitle()).isEqualTo("Gale auth demo");
        assertThat(s.find(By.id("local-provider")).getText()).contains("mock-oauth2-server", demo.localIssuer());

        s.find(By.id("login-oidc")).click();
        WebElement username = s.waitUntil(LOGIN_WAIT, d -> d.findElement(By.name("username")));
        assertThat(s.driver().getCurrentUrl()).startsWith(demo.localIssuer() + "/authorize?");
        username.sendKeys("alice");
        s.find(By.name("claims")).sendKeys("{\"name\": \"Alice Liddell\", \"email\": \"alice@example.org\", "
                + "\"groups\": [\"readers\", \"<writers>\"]}");
        s.find(By.cssSelector("form input[type=submit]")).click();

        s.waitUntil(LOGIN_WAIT, d -> d.findElement(By.id("user-name")).getText().equals("Alice Liddell"));
        assertThat(s.driver().getCurrentUrl()).isEqualTo(base + "/");
        assertThat(s.find(By.id("via")).getText()).isEqualTo("the local provider");
        Map<String, String> claims = claims(s.driver());
        assertThat(claims).containsEntry("sub", "alice").containsEntry("email", "alice@example.org")
                .containsEntry("iss", demo.localIssuer()).containsEntry("aud", "gale-auth-demo")
                .containsEntry("groups", "[\"readers\",\"<writers>\"]") // shown as text, not markup
                .containsKey("exp").doesNotContainKey("nonce");
        assertThat(s.driver().manage().getCookieNamed(Session.COOKIE).isHttpOnly()).isTrue();
        s.screenshot(Browser.demoScreenshot("auth"));

        s.find(By.cssSelector("#logout button")).click();
        s.waitUntil(d -> d.findElement(By.id("login-oidc")).isDisplayed());
        assertThat(s.driver().getCurrentUrl()).isEqualTo(base + "/");
        assertThat(s.findAll(By.id("user-name"))).isEmpty();
        assertThat(s.driver().manage().getCookieNamed(Session.COOKIE)).isNull();
    }

    @Test
    void aProtectedPageInAnotherSessionGoesThroughTheLoginAndBack() {
        Browser.Session other = browser.newSession();
        try {
            other.get(demo.baseUrl() + "/me");
            WebElement username = other.waitUntil(LOGIN_WAIT, d -> d.findElement(By.name("username")));
            username.sendKeys("bob");
            other.find(By.cssSelector("form input[type=submit]")).click();
            other.waitUntil(LOGIN_WAIT, d -> d.getCurrentUrl().equals(demo.baseUrl() + "/me"));
            assertThat(other.find(By.tagName("body")).getText()).contains("\"subject\":\"bob\"", "\"provider\":\"oidc\"");
        } finally {
            other.close();
        }
    }

    /** The claims table: name to the value's text. */
    private static Map<String, String> claims(WebDriver d) {
        Map<String, String> claims = new LinkedHashMap<>();
        for (WebElement row : d.findElements(By.cssSelector("#claims tr.claim"))) {
            claims.put(row.getAttribute("data-claim"), row.findElement(By.className("value")).getText());
        }
        return claims;
    }
}
