package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpHeaders;
import io.gale.http.HttpServerRequest;
import io.gale.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LoginRedirectTest {
    @Test
    void localPathsAreSafe() {
        for (String ok : List.of("/", "/account", "/a/b?c=d&e=%2F%2Fx#frag", "/%2F/evil.example", "/%5Cevil.example",
                "/path//double", "/?next=//evil", "/a-b._~!$&'()*+,;=:@/?#%41")) {
            assertThat(LoginRedirect.isLocalPath(ok)).as(ok).isTrue();
        }
    }

    @Test
    void everythingThatCouldLeaveTheSiteIsRefused() {
        for (String bad : List.of("//evil.example", "//evil.example/path", "/\\evil.example", "\\\\evil.example",
                "\\/evil.example", "http://evil.example", "https://evil.example/", "HTTP://evil.example",
                "javascript:alert(1)", "data:text/html,x", "evil.example", "", " /account", "/\t/evil.example",
                "/\n/evil.example", "/\r\n/evil.example", "/ /evil.example", "/a\\b", "/\u00a0/evil", "/caf\u00e9",
                "%2F%2Fevil.example", "/\u0000", "/\u007f", "///evil.example", "/\\/evil.example",
                "/\"><script>alert(1)</script>", "/<x>", "/a`b", "/{x}", "/a|b", "/a^b", "/[::1]")) {
            assertThat(LoginRedirect.isLocalPath(bad)).as(bad).isFalse();
        }
        assertThat(LoginRedirect.isLocalPath(null)).isFalse();
    }

    private static HttpServerRequest request(String uri) {
        return new HttpServerRequest(null, "GET", uri, HttpVersion.HTTP_1_1, new HttpHeaders(), "127.0.0.1", "http");
    }

    @Test
    void theLoginUrlGetsTheRequestPathAsNext() {
        assertThat(LoginRedirect.url("/login", request("/account"))).isEqualTo("/login?next=%2Faccount");
        assertThat(LoginRedirect.url("/login", request("/a/b?x=1&y=%2F")))
                .isEqualTo("/login?next=%2Fa%2Fb%3Fx%3D1%26y%3D%252F");
        assertThat(LoginRedirect.url("https://sso.example/login", request("/account")))
                .as("next stays relative even for an absolute login URL")
                .isEqualTo("https://sso.example/login?next=%2Faccount");
        assertThat(LoginRedirect.url("/login?app=1", request("/account"))).as("a query: used as it is")
                .isEqualTo("/login?app=1");
        // request targets that would make an off-site next
        assertThat(LoginRedirect.url("/login", request("//evil.example/x"))).isEqualTo("/login?next=%2F");
        assertThat(LoginRedirect.url("/login", request("http://evil.example//evil.example/x"))).isEqualTo("/login?next=%2F");
        assertThat(LoginRedirect.url("/login", request("http://host.example/account?a=1")))
                .as("absolute-form: its path").isEqualTo("/login?next=%2Faccount%3Fa%3D1");
    }
}
