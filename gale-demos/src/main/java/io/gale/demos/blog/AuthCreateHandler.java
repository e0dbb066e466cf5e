package io.gale.demos.blog;

import java.sql.SQLException;
import java.util.Map;

/**
 * {@code /auth/create}: the first author's account (fields {@code email}, {@code name},
 * {@code password}, Tornado's), possible only while the blog has no author; then logged in and
 * sent to {@code next}. Once an author exists, GET goes to the login page and POST is refused
 * (400), as in Tornado's demo. Further authors are for the database's owner to add.
 */
final class AuthCreateHandler extends BaseHandler {
    AuthCreateHandler(Blog blog) {
        super(blog);
    }

    public void get() throws SQLException {
        if (blog.store().anyAuthor()) {
            redirect("/auth/login?next=" + io.gale.escape.Escape.urlEscape(safeNextUrl("/")));
            return;
        }
        render("create_author.html", Map.of("next", safeNextUrl("/"), "error", ""));
    }

    public void post() throws SQLException {
        String email = getArgument("email", "");
        String name = getArgument("name", "");
        String password = getArgument("password", "");
        String problem = Credentials.newAuthorProblem(email, name, password, blog.limits());
        if (problem != null) {
            setStatus(400);
            render("create_author.html", Map.of("next", safeNextUrl("/"), "error", problem));
            return;
        }
        if (blog.store().anyAuthor()) {
            throw badRequest("Author already created");
        }
        String hashed = blog.passwords().hash(password);
        Author author = blog.store().createFirstAuthor(email, name, hashed)
                .orElseThrow(() -> badRequest("Author already created"));
        setSignedCookie(USER_COOKIE, Integer.toString(author.id()));
        redirectToNext();
    }
}
