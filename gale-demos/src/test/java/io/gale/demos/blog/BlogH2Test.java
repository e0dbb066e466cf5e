package io.gale.demos.blog;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlogContract} on the default database: embedded H2 in a file. */
class BlogH2Test extends BlogContract {
    @TempDir
    static Path dir;

    @Override
    String dbUrl() {
        return "h2:" + dir.resolve("blog");
    }
}
