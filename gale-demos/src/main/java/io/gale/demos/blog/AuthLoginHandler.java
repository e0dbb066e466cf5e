package io.gale.demos.blog;

import io.gale.escape.Escape;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /auth/login} (fields {@code email}, {@code password}, {@code next}): checks the password
 * against the stored hash ({@link Passwords}), sets the signed cookie and redirects to
 * {@code next} when it is a local path (an off-site {@code next} goes to {@code /} instead: no
 * open redirect). A wrong address or password shows the form again with one message for both.
 * With no author yet, GET goes to {@code /auth/create}.
 */
final class AuthLoginHandler extends BaseHandler {
    AuthLoginHandler(Blog blog) {
        super(blog);
    }

    public void get() throws SQLException {
        if (!blog.store().anyAuthor()) {
            redirect("/auth/create?next=" + Escape.urlEscape(safeNextUrl("/")));
            return;
        }
        render("login.html", Map.of("next", safeNextUrl("/"), "error", ""));
    }

    public void post() throws SQLException {
        String email = getArgument("email", "");
        String password = getArgument("password", "");
        BlogLimits limits = blog.limits();
        Optional<Author> author = email.length() > limits.maxNameChars() || password.length() > limits.maxPasswordChars()
                ? Optional.empty() : blog.store().authorByEmail(email);
        boolean ok;
        if (author.isPresent()) {
            ok = blog.passwords().verify(password, author.get().hashedPassword());
        } else {
            if (password.length() <= limits.maxPasswordChars()) {
                blog.passwords().verifyNothing(password);
            }
            ok = false;
        }
        if (!ok) {
            render("login.html", Map.of("next", safeNextUrl("/"), "error", "Incorrect email or password."));
            return;
        }
        setSignedCookie(USER_COOKIE, Integer.toString(author.get().id()));
        redirectToNext();
    }
}
