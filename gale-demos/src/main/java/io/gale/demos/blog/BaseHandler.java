package io.gale.demos.blog;

import io.gale.template.TemplateNamespace;
import io.gale.web.HttpError;
import io.gale.web.RequestHandler;
import io.gale.web.RunOnVirtualThread;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the blog's handlers share (Tornado's demo's {@code BaseHandler}): the logged-in author from
 * the signed cookie {@value #USER_COOKIE}, the blog's title in every template, error pages from
 * the {@code error.html} template, and the redirect to a local {@code next}.
 *
 * <p>Threading: every blog handler runs on a virtual thread ({@code @RunOnVirtualThread}, inherited),
 * so its JDBC calls block that thread and never an event loop.
 */
@RunOnVirtualThread
abstract class BaseHandler extends RequestHandler {
    /** The signed cookie that holds the author's id (the name Tornado's demo uses). */
    static final String USER_COOKIE = "blogdemo_user";
    private static final Logger LOG = LoggerFactory.getLogger("gale.demos.blog");

    final Blog blog;

    BaseHandler(Blog blog) {
        this.blog = blog;
    }

    /**
     * The author whose id the signed cookie holds, if that author exists; asked once per request.
     * An error page answered on the event loop (a body too large, a 405, the virtual-thread
     * admission's 503) renders before any virtual thread exists: there the database is not asked
     * (it would block the loop) and the page shows the signed-out header.
     */
    @Override
    protected Object getCurrentUser() {
        String id = getSignedCookie(USER_COOKIE);
        if (id == null || !id.matches("[0-9]{1,9}") || loop().inLoop()) {
            return null;
        }
        try {
            return blog.store().authorById(Integer.parseInt(id)).orElse(null);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the author: " + e.getMessage(), e);
        }
    }

    /** The author of this request (checked by {@code @Authenticated} where it must exist). */
    final Author author() {
        return (Author) currentUser();
    }

    @Override
    protected TemplateNamespace getTemplateNamespace() {
        TemplateNamespace ns = super.getTemplateNamespace();
        ns.put("blogTitle", blog.title());
        return ns;
    }

    /** Redirects to the {@code next} argument when it is a local path, else to {@code /}. */
    final void redirectToNext() {
        redirect(safeNextUrl("/"));
    }

    /** A 400 whose reason the error page shows. */
    static HttpError badRequest(String reason) {
        return HttpError.withReason(400, reason);
    }

    /** Error pages from {@code error.html}, inside the blog's frame. */
    @Override
    protected void writeError(int statusCode, Throwable error) {
        if (error != null && settings().serveTraceback()) {
            super.writeError(statusCode, error);
            return;
        }
        try {
            Map<String, Object> model = new HashMap<>();
            model.put("status", statusCode);
            model.put("reason", getReason());
            render("error.html", model);
        } catch (RuntimeException e) {
            LOG.error("cannot render error.html", e);
            clear();
            setStatus(statusCode);
            super.writeError(statusCode, error);
        }
    }
}
