package io.gale.autoreload;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.internal.autoreload.ChildMain;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a child's command line is derived from the supervisor's own {@code java} command. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ChildCommandTest {
    @Test
    void jvmOptionsAreKeptAndTheClassPathIsSetAgain() {
        ChildCommand.LauncherArgs a = ChildCommand.split(List.of("-Xmx256m", "-cp", "a.jar:classes", "-Dx=1",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "com.example.Main", "--port", "8888"));
        assertThat(a.jvmOptions()).containsExactly("-Xmx256m", "-Dx=1", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1");
        assertThat(a.main()).isEqualTo("com.example.Main");
        assertThat(a.programArgs()).containsExactly("--port", "8888");
    }

    @Test
    void everySpellingOfTheClassPathIsDropped() {
        assertThat(ChildCommand.split(List.of("-classpath", "x", "--class-path", "y", "--class-path=z", "M")).jvmOptions()).isEmpty();
    }

    @Test
    void startUpCachesDebuggersAndTheLinkAreNotInherited() {
        ChildCommand.LauncherArgs a = ChildCommand.split(List.of("-XX:AOTCacheOutput=x.aot", "-XX:AOTMode=record",
                "-XX:AOTConfiguration=x.conf", "-XX:ArchiveClassesAtExit=x.jsa", "-Xshare:dump",
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-Xdebug", "-Xrunjdwp:transport=dt_socket",
                "-Dgale.autoreload.link=/tmp/x", "-Dgale.autoreload.child=3", "-XX:SharedArchiveFile=app.jsa",
                "-XX:AOTCache=app.aot", "-XX:AOTMode=auto", "-XX:+AutoCreateSharedArchive", "-Xss2m", "Main"));
        assertThat(a.jvmOptions()).containsExactly("-Xss2m");
    }

    @Test
    void jarLaunchesSplitAtTheJar() {
        ChildCommand.LauncherArgs a = ChildCommand.split(List.of("-Xss1m", "-jar", "app.jar", "serve", "-v"));
        assertThat(a.jvmOptions()).containsExactly("-Xss1m");
        assertThat(a.main()).isEqualTo("app.jar");
        assertThat(a.programArgs()).containsExactly("serve", "-v");
    }

    @Test
    void moduleLaunchesHaveNoMainClass() {
        assertThat(ChildCommand.split(List.of("-p", "mods", "-m", "app/app.Main")).main()).isNull();
        assertThat(ChildCommand.split(List.of("--module=app/app.Main")).main()).isNull();
        assertThat(ChildCommand.split(List.of("-Xmx1g")).main()).isNull();
    }

    @Test
    void theChildRunsChildMainWithTheApplicationsMainAndArguments() {
        ChildCommand c = new ChildCommand("/jdk/bin/java", List.of("-Xmx256m"), "a.jar:classes", "com.example.Main",
                List.of("--port", "0"));
        assertThat(c.command(Path.of("/tmp/gale/link"), 7, List.of("-ea"))).containsExactly("/jdk/bin/java", "-Xmx256m", "-ea",
                "-Dgale.autoreload.link=/tmp/gale/link", "-Dgale.autoreload.child=7", "-cp", "a.jar:classes",
                ChildMain.class.getName(), "com.example.Main", "--port", "0");
    }

    @Test
    void thisJvmIsReadFromTheProcess() {
        ChildCommand c = ChildCommand.ofThisJvm("x.Main", List.of("a"));
        assertThat(Path.of(c.java()).getFileName().toString()).startsWith("java");
        assertThat(c.classPath()).isEqualTo(System.getProperty("java.class.path"));
        assertThat(c.jvmOptions()).noneMatch(o -> o.equals("-cp") || o.equals("-classpath"));
    }
}
