package io.gale.demos.blog;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code /feed}: the ten newest entries as an Atom 1.0 feed (RFC 4287). The feed's and entries'
 * ids are their URLs on the host the client asked for, as in Tornado's demo; each entry's content
 * is its HTML, escaped ({@code type="html"}), which stays valid XML whatever the HTML holds.
 */
final class FeedHandler extends BaseHandler {
    static final int ENTRIES = 10;

    FeedHandler(Blog blog) {
        super(blog);
    }

    public void get() throws SQLException {
        List<Entry> entries = blog.store().latest(ENTRIES);
        Instant updated = entries.stream().map(Entry::updated).max(Comparator.naturalOrder()).orElse(Instant.now());
        setHeader("Content-Type", "application/atom+xml; charset=UTF-8");
        render("feed.xml", Map.of("entries", entries, "updated", updated,
                "base", request().protocol() + "://" + request().host()));
    }
}
