package io.gale.demos.blog;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** {@code /}: the five newest entries; with none yet, the compose page (as Tornado's demo). */
final class HomeHandler extends BaseHandler {
    static final int ENTRIES = 5;

    HomeHandler(Blog blog) {
        super(blog);
    }

    public void get() throws SQLException {
        List<Entry> entries = blog.store().latest(ENTRIES);
        if (entries.isEmpty()) {
            redirect("/compose");
            return;
        }
        render("home.html", Map.of("entries", entries));
    }
}
