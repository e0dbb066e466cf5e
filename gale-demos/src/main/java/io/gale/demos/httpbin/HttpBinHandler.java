package io.gale.demos.httpbin;

import io.gale.web.HttpError;
import io.gale.web.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The base of httpbin's handlers: bad input is answered 400 with a JSON body that says what was
 * wrong ({@code {"error": "n must be an integer in [1, 100]"}}), rather than a bare error page,
 * and a few argument parsers that throw that error.
 *
 * <p>CORS as httpbin: every response (errors included: {@link #setDefaultHeaders()} runs again
 * when an error clears the response) allows the request's Origin, or {@code *}, with credentials;
 * {@code OPTIONS} on any route is a preflight answer: 200, empty, {@code Allow} listing the route's
 * methods, the allowed methods, a one-hour max age, and the requested headers echoed.
 *
 * <p>Public because it declares a handler method ({@code options}) for its subclasses: a public
 * method inherited from a package-private class reaches them as a synthetic bridge, which Gale
 * does not dispatch to.
 *
 * <p>Threading: as {@link RequestHandler}: one request, one thread at a time.
 */
public abstract class HttpBinHandler extends RequestHandler {
    private static final String PREFLIGHT_METHODS = "GET, POST, PUT, DELETE, PATCH, OPTIONS";

    @Override
    protected void setDefaultHeaders() {
        String origin = request().headers().get("Origin");
        setHeader("Access-Control-Allow-Origin", origin == null ? "*" : origin);
        setHeader("Access-Control-Allow-Credentials", "true");
        if (request().method().equals("OPTIONS")) {
            setHeader("Access-Control-Allow-Methods", PREFLIGHT_METHODS);
            setHeader("Access-Control-Max-Age", "3600");
            String requested = request().headers().get("Access-Control-Request-Headers");
            if (requested != null) {
                setHeader("Access-Control-Allow-Headers", requested);
            }
        }
    }

    /** {@code OPTIONS} on any route: the preflight answer (headers from {@link #setDefaultHeaders()}). */
    public void options(String... args) {
        setHeader("Allow", allowedMethods(getClass()));
    }

    /** The HTTP methods {@code type} answers, as Flask lists them in Allow (HEAD with GET, always OPTIONS). */
    static String allowedMethods(Class<?> type) {
        java.util.Set<String> methods = new java.util.TreeSet<>();
        for (java.lang.reflect.Method m : type.getMethods()) {
            String name = m.getName().toUpperCase(java.util.Locale.ROOT);
            if (m.getDeclaringClass() != HttpBinHandler.class && SUPPORTED_METHODS.contains(name)) {
                methods.add(name);
            }
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }

    /** A 400 answer whose message is sent to the client (and logged as one line). */
    static HttpError badRequest(String format, Object... args) {
        return new HttpError(400, format, args);
    }

    @Override
    protected void writeError(int statusCode, Throwable error) {
        if (statusCode == 400 && error instanceof HttpError he && he.logMessage() != null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", he.logMessage());
            write(body);
            return;
        }
        super.writeError(statusCode, error);
    }

    /** {@code value} as an int in {@code [min, max]}, else 400 naming {@code name}. */
    static int intArg(String name, String value, int min, int max) {
        long v;
        try {
            v = value.length() > 11 ? Long.MIN_VALUE : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            v = Long.MIN_VALUE;
        }
        if (v < min || v > max) {
            throw badRequest("%s must be an integer in [%d, %d]", name, min, max);
        }
        return (int) v;
    }

    /** The query or body argument {@code name} as an int in {@code [min, max]}, or {@code def} if absent. */
    final int intArgument(String name, int def, int min, int max) {
        String v = getArgument(name, null);
        return v == null ? def : intArg(name, v, min, max);
    }

    /** {@code value} as a finite number in {@code [min, max]}, else 400 naming {@code name}. */
    static double numberArg(String name, String value, double min, double max) {
        double v;
        try {
            v = value.length() > 32 ? Double.NaN : Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        // Double.parseDouble also takes "NaN", "Infinity" and hex floats; only plain decimals are meant.
        if (!(v >= min && v <= max) || !value.strip().matches("[+-]?[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?")) {
            throw badRequest("%s must be a number in [%s, %s]", name, fmt(min), fmt(max));
        }
        return v;
    }

    /** The query or body argument {@code name} as a number in {@code [min, max]}, or {@code def} if absent. */
    final double numberArgument(String name, double def, double min, double max) {
        String v = getArgument(name, null);
        return v == null ? def : numberArg(name, v, min, max);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** Sets a header from client input: an unsafe value (CR, LF, ...) is a 400, not a 500. */
    final void setUserHeader(String name, String value, boolean add) {
        try {
            if (add) {
                addHeader(name, value);
            } else {
                setHeader(name, value);
            }
        } catch (IllegalArgumentException e) {
            throw badRequest("invalid header %s: %s", name, e.getMessage());
        }
    }
}
