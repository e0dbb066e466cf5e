package io.gale.web;

import java.util.Map;

/**
 * Answers every request with one error status (Tornado's {@code ErrorHandler}); the default for
 * requests no route matches, with 404. Route it with {@code Map.of("statusCode", 410)} to retire
 * a URL.
 */
public class ErrorHandler extends RequestHandler {
    private int statusCode = 404;

    /** A 404 handler; the init argument {@code statusCode} changes the status. */
    public ErrorHandler() {
    }

    ErrorHandler(int statusCode) {
        this.statusCode = statusCode;
    }

    @Override
    protected void initialize(Map<String, Object> initArgs) {
        Object code = initArgs.get("statusCode");
        if (code != null) {
            statusCode = ((Number) code).intValue();
        }
    }

    @Override
    protected void prepare() {
        throw new HttpError(statusCode);
    }
}
