package io.gale.web;

import io.gale.escape.Escape;
import io.gale.http.ErrorBody;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default error page, in one place for handler errors ({@link RequestHandler#writeError}),
 * unmatched paths, the errors the framework answers itself (405, 413, an invalid body or path
 * argument, 503) and, with {@code jsonErrors}, the errors the HTTP connection answers (a
 * malformed request): HTML, or JSON with the {@code jsonErrors} setting.
 *
 * <ul>
 *   <li>HTML (Tornado's page): {@code <html><title>404: Not Found</title><body>404: Not Found</body></html>},
 *       the error's {@link HttpError#detail()} in a {@code <p>} (escaped); with
 *       {@code serveTraceback}, the stack trace as text/plain instead.</li>
 *   <li>JSON, RFC 9457 problem details ({@code application/problem+json}):
 *       {@code {"status":404,"title":"Not Found"}}, plus {@code "detail"} when the error has one
 *       and, with {@code serveTraceback}, {@code "traceback"}.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class ErrorPages {
    static final String JSON_TYPE = "application/problem+json";

    private ErrorPages() {
    }

    /** Writes the page of {@code status} for {@code handler} (its reason phrase is already set). */
    static void write(RequestHandler handler, int status, Throwable error) {
        String detail = error instanceof HttpError he ? he.detail() : null;
        boolean trace = error != null && handler.settings().serveTraceback();
        if (handler.settings().jsonErrors()) {
            handler.setHeader("Content-Type", JSON_TYPE);
            handler.write(json(status, handler.getReason(), detail, trace ? stackTrace(error) : null));
        } else if (trace) {
            handler.setHeader("Content-Type", "text/plain; charset=UTF-8");
            handler.write(stackTrace(error));
        } else {
            String text = status + ": " + Escape.xhtmlEscape(handler.getReason());
            String p = detail == null ? "" : "<p>" + Escape.xhtmlEscape(detail) + "</p>";
            handler.write("<html><title>" + text + "</title><body>" + text + p + "</body></html>");
        }
    }

    /** The body of an error the connection answers by itself, JSON when the application wants it. */
    static ErrorBody protocolError(ApplicationSettings settings, int status, String reason) {
        if (!settings.jsonErrors()) {
            return ErrorBody.plainText(status, reason);
        }
        return new ErrorBody(JSON_TYPE, json(status, reason, null, null));
    }

    private static byte[] json(int status, String title, String detail, String traceback) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("title", title == null ? "Unknown" : title);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (traceback != null) {
            body.put("traceback", traceback);
        }
        return Json.encode(body);
    }

    private static String stackTrace(Throwable error) {
        StringWriter sw = new StringWriter();
        error.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
