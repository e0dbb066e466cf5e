package io.gale.demos.blog;

import io.gale.demos.testing.PostgresServer;

/**
 * {@link BlogContract} on a real PostgreSQL (started by {@link PostgresServer}: fails, never
 * skips, when PostgreSQL cannot start), through the {@code postgresql://} URL form {@code --db}
 * takes.
 */
class BlogPostgresTest extends BlogContract {
    private PostgresServer pg;

    @Override
    String dbUrl() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("blog");
        return pg.url().replace("/" + PostgresServer.DATABASE, "/blog");
    }

    @Override
    void stopDatabase() {
        if (pg != null) {
            pg.close();
        }
    }
}
