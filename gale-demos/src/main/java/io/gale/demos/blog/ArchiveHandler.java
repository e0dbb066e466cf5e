package io.gale.demos.blog;

import java.sql.SQLException;
import java.util.Map;

/** {@code /archive}: every entry's title and date, newest first. */
final class ArchiveHandler extends BaseHandler {
    ArchiveHandler(Blog blog) {
        super(blog);
    }

    public void get() throws SQLException {
        render("archive.html", Map.of("entries", blog.store().all()));
    }
}
