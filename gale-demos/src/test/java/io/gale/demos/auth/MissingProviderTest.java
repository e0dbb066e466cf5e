package io.gale.demos.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./gale-demo auth} in a JVM whose class path lacks mock-oauth2-server (the other demos'
 * class path: the launcher adds {@code target/lib-auth} for {@code auth} only): with no provider
 * configured, the demo says in one line what is missing and exits 1, without a stack trace.
 */
@Timeout(120)
class MissingProviderTest {
    @Test
    void withoutTheLocalProvidersJarsTheDemoSaysWhatIsMissing() throws Exception {
        String providerJar = Path.of(MockOAuth2Server.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.equals(providerJar)).collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).doesNotContain("mock-oauth2-server");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "io.gale.demos.Demos", "auth", "--port", "0", "--address", "127.0.0.1"))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("auth: the local OpenID provider needs mock-oauth2-server", "target/lib-auth",
                "--issuer URL --client-id ID --client-secret SECRET").doesNotContain("\tat ", "listening on");
    }
}
