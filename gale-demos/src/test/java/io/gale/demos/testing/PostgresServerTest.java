package io.gale.demos.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PostgreSQL starter: a real server that takes a table, rows and a query, a second database,
 * nothing left behind after close, and a failure that says why.
 */
@Timeout(120)
class PostgresServerTest {
    @Test
    void startsCreatesATableInsertsSelectsAndCleansUp() throws Exception {
        Path dir;
        int port;
        try (PostgresServer pg = PostgresServer.start()) {
            port = pg.port();
            assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=gale");
            assertThat(pg.url()).isEqualTo("postgresql://gale@127.0.0.1:" + port + "/postgres");
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE entries (id serial PRIMARY KEY, title text NOT NULL)");
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO entries (title) VALUES (?)")) {
                    ins.setString(1, "Grüße, 'quoted'; DROP TABLE entries; --");
                    ins.executeUpdate();
                    ins.setString(1, "second");
                    ins.executeUpdate();
                }
                try (ResultSet rs = st.executeQuery("SELECT id, title FROM entries ORDER BY id")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                    assertThat(rs.getString(2)).isEqualTo("Grüße, 'quoted'; DROP TABLE entries; --");
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo("second");
                    assertThat(rs.next()).isFalse();
                }
                try (ResultSet rs = st.executeQuery("SHOW fsync")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("off");
                }
                try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(15);
                }
                try (ResultSet rs = st.executeQuery("SELECT datadir FROM (SELECT current_setting('data_directory') AS datadir) d")) {
                    rs.next();
                    dir = Path.of(rs.getString(1)).getParent();
                }
            }
            pg.createDatabase("blog_test");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("blog_test"));
                    ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("blog_test");
            }
        }
        assertThat(dir).doesNotExist();
        assertThatThrownBy(() -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=gale&connectTimeout=5"))
                .isInstanceOf(java.sql.SQLException.class);
    }

    @Test
    void aServerThatCannotStartFailsWithTheReason() throws Exception {
        // Stand-in binaries: initdb succeeds, the server "fails" and writes its reason to the log.
        Path bin = Files.createTempDirectory("gale-fake-pg-");
        try {
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            script(bin.resolve("initdb"), "#!/bin/sh\nexit 0\n");
            script(bin.resolve("pg_ctl"), "#!/bin/sh\n"
                    + "while [ $# -gt 0 ]; do [ \"$1\" = -l ] && log=$2; shift; done\n"
                    + "echo 'FATAL:  could not load server certificate: no such file' >> \"$log\"\n"
                    + "echo 'pg_ctl: could not start server'; exit 1\n");
            assertThatThrownBy(() -> PostgresServer.start(bin))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("PostgreSQL did not start")
                    .hasMessageContaining("pg_ctl: could not start server")
                    .hasMessageContaining("could not load server certificate");
        } finally {
            TempDirectory.delete(bin);
        }
    }

    private static void script(Path path, String text) throws Exception {
        Files.writeString(path, text);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
