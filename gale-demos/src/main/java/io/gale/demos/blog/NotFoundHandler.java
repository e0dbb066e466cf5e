package io.gale.demos.blog;

import io.gale.web.HttpError;

/** Every path no other route takes: the blog's 404 page (rather than the framework's plain one). */
final class NotFoundHandler extends BaseHandler {
    NotFoundHandler(Blog blog) {
        super(blog);
    }

    @Override
    protected void prepare() {
        throw new HttpError(404);
    }
}
