package io.gale.demos.blog;

import io.gale.web.HttpError;
import java.sql.SQLException;
import java.util.Map;

/** {@code /entry/SLUG}: one entry; 404 (the error page) when no entry has that slug. */
final class EntryHandler extends BaseHandler {
    EntryHandler(Blog blog) {
        super(blog);
    }

    public void get(String slug) throws SQLException {
        Entry entry = blog.store().bySlug(slug).orElseThrow(() -> new HttpError(404));
        render("entry.html", Map.of("entry", entry));
    }
}
