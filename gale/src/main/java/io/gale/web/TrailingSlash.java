package io.gale.web;

import java.lang.reflect.Method;

/**
 * The rules of {@link AddSlash} and {@link RemoveSlash}: which handler methods carry them (read
 * by {@link HandlerInfo} with the rest of a handler class's reflection) and the redirect or 404
 * they make. Stateless.
 */
final class TrailingSlash {
    enum Rule { ADD, REMOVE }

    private TrailingSlash() {
    }

    /**
     * The rule of a handler method: its own annotation, else its class's ({@code classRule}), else
     * none. Read once per handler class when its routes are compiled, so a first request pays no
     * reflection and a contradiction stops the application at start-up.
     *
     * @throws IllegalArgumentException for {@code @AddSlash} and {@code @RemoveSlash} together
     */
    static Rule of(Method method, Rule classRule) {
        Rule own = rule(method.isAnnotationPresent(AddSlash.class), method.isAnnotationPresent(RemoveSlash.class), method);
        return own != null ? own : classRule;
    }

    /** The rule annotated on {@code type} itself, or null. */
    static Rule of(Class<?> type) {
        return rule(type.isAnnotationPresent(AddSlash.class), type.isAnnotationPresent(RemoveSlash.class), type);
    }

    /** {@code where} (a method or class) is made text only for the error: Method.toString costs a start-up 1 ms. */
    private static Rule rule(boolean add, boolean remove, Object where) {
        if (add && remove) {
            throw new IllegalArgumentException("@AddSlash and @RemoveSlash together on " + where);
        }
        return add ? Rule.ADD : remove ? Rule.REMOVE : null;
    }

    /**
     * Applies a handler method's {@code rule}, if it has one: redirects (and finishes the
     * response) or throws a 404.
     *
     * @return whether the request was answered, so the method must not run
     * @throws HttpError 404 for a method other than GET or HEAD on a path the rule rejects
     */
    static boolean answered(RequestHandler handler, Rule rule) {
        if (rule == null) {
            return false;
        }
        String path = handler.request().path();
        boolean slash = path.endsWith("/");
        if (rule == Rule.ADD ? slash : !slash) {
            return false;
        }
        String m = handler.request().method();
        if (!m.equals("GET") && !m.equals("HEAD")) {
            throw new HttpError(404);
        }
        String target;
        if (rule == Rule.ADD) {
            target = path + "/";
        } else {
            int end = path.length();
            while (end > 0 && path.charAt(end - 1) == '/') {
                end--;
            }
            if (end == 0) {
                return false; // "/" (or "///"): nothing left to redirect to
            }
            target = path.substring(0, end);
        }
        String query = handler.request().query();
        handler.redirect(LocalRedirect.path(target) + (query.isEmpty() ? "" : "?" + query), true);
        return true;
    }
}
