package io.gale.demos.httpbin;

import io.gale.web.HttpError;

/**
 * The application's default handler: any path without a route is 404, with httpbin's CORS
 * headers like every other answer (so a browser page sees the 404 rather than a CORS failure).
 */
public final class NotFound extends HttpBinHandler {
    @Override
    protected void prepare() {
        throw new HttpError(404);
    }
}
