package io.gale.web;

import io.gale.escape.Escape;
import io.gale.http.ErrorBody;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default error page, in one place for handler errors ({@link RequestHandler#writeError}),
 * unmatched paths, the errors the framework answers itself (405, 413, an invalid body or path
 * argument, 503) and the errors the HTTP connection answers by itself (a malformed request, a
 * body over its limit, a timeout: {@link Application#errorBody}): HTML, or JSON with the
 * {@code jsonErrors} setting. A protocol error and a handler error of the same status look the
 * same to the client: same {@code Content-Type}, same body (a handler error may add its
 * {@link HttpError#detail()}; a protocol error has none, and never a traceback).
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
    /** A handler's default {@code Content-Type} ({@link RequestHandler#clear}), which its error page keeps. */
    static final String HTML_TYPE = "text/html; charset=UTF-8";

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
            handler.write(html(status, handler.getReason(), detail));
        }
    }

    /**
     * The body of an error the connection answers by itself: the page {@link #write} makes for a
     * handler error of the same status without a detail, HTML or JSON as the application chose.
     */
    static ErrorBody protocolError(ApplicationSettings settings, int status, String reason) {
        if (settings.jsonErrors()) {
            return new ErrorBody(JSON_TYPE, json(status, reason, null, null));
        }
        return new ErrorBody(HTML_TYPE, html(status, reason, null).getBytes(StandardCharsets.UTF_8));
    }

    /** Tornado's page: {@code <html><title>404: Not Found</title><body>404: Not Found</body></html>}. */
    private static String html(int status, String reason, String detail) {
        String text = status + ": " + Escape.xhtmlEscape(reason == null ? "Unknown" : reason);
        String p = detail == null ? "" : "<p>" + Escape.xhtmlEscape(detail) + "</p>";
        return "<html><title>" + text + "</title><body>" + text + p + "</body></html>";
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
