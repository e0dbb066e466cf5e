package io.gale.demos.blog;

import io.gale.web.Authenticated;
import io.gale.web.HttpError;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code /compose}: writing a new entry, or editing one ({@code ?id=N}), for logged-in authors
 * only ({@code @Authenticated}: a visitor's GET goes to the login page, a POST gets 403). The form
 * posts {@code title}, {@code markdown} and, when editing, {@code id} (Tornado's fields). A new
 * entry gets a slug from its title ({@link Slugs}), unique ({@link BlogStore#insert}); an edited
 * one keeps its slug. A missing title or text, or one over {@link BlogLimits}, shows the form
 * again with the text kept and status 400.
 */
@Authenticated
final class ComposeHandler extends BaseHandler {
    ComposeHandler(Blog blog) {
        super(blog);
    }

    public void get() throws SQLException {
        Integer id = entryId();
        Entry entry = null;
        if (id != null) {
            entry = blog.store().byId(id).orElseThrow(() -> new HttpError(404));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("entry", entry);
        model.put("title", entry == null ? "" : entry.title());
        model.put("markdown", entry == null ? "" : entry.markdown());
        render("compose.html", model);
    }

    public void post() throws SQLException {
        Integer id = entryId();
        String title = getArgument("title", "");
        String text = getArgument("markdown", "");
        Entry existing = null;
        if (id != null) {
            existing = blog.store().byId(id).orElseThrow(() -> new HttpError(404));
        }
        String problem = problem(title, text);
        if (problem != null) {
            setStatus(400);
            Map<String, Object> model = new HashMap<>();
            model.put("entry", existing);
            model.put("title", title);
            model.put("markdown", text);
            model.put("error", problem);
            render("compose.html", model);
            return;
        }
        String html = Markdown.toHtml(text);
        String slug;
        if (existing != null) {
            if (!blog.store().update(existing.id(), title, text, html)) {
                throw new HttpError(404); // deleted meanwhile
            }
            slug = existing.slug();
        } else {
            slug = blog.store().insert(author().id(), Slugs.fromTitle(title), title, text, html).slug();
        }
        redirect("/entry/" + slug);
    }

    /** What is wrong with the form, or null. */
    private String problem(String title, String text) {
        BlogLimits limits = blog.limits();
        if (title.isEmpty()) {
            return "The title is missing.";
        }
        if (text.isEmpty()) {
            return "The text is missing.";
        }
        if (title.length() > limits.maxTitleChars()) {
            return "The title is longer than " + limits.maxTitleChars() + " characters.";
        }
        if (text.length() > limits.maxMarkdownChars()) {
            return "The text is longer than " + limits.maxMarkdownChars() + " characters.";
        }
        return null;
    }

    /** The {@code id} argument, null when absent or empty; 400 when it is not an entry number. */
    private Integer entryId() {
        String id = getArgument("id", "");
        if (id.isEmpty()) {
            return null;
        }
        if (!id.matches("[0-9]{1,9}")) {
            throw badRequest("Bad entry id");
        }
        return Integer.parseInt(id);
    }
}
