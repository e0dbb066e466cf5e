package io.gale.demos.blog;

import java.time.Instant;

/**
 * One blog entry as stored: its Markdown source and the HTML rendered from it when it was saved
 * (by {@link Markdown}, safe to insert into a page as it is). Immutable; templates read the
 * components by name ({@code entry.title}).
 */
public record Entry(int id, int authorId, String slug, String title, String markdown, String html,
                    Instant published, Instant updated) {
}
