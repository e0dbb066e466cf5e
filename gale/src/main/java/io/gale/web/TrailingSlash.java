package io.gale.web;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/**
 * The rules of {@link AddSlash} and {@link RemoveSlash}: which handler methods carry them (found
 * by reflection once per handler class and cached) and the redirect or 404 they make.
 * Thread-safe (the cache is a {@link ClassValue} of immutable maps).
 */
final class TrailingSlash {
    private enum Rule { ADD, REMOVE }

    private static final ClassValue<Map<Method, Rule>> RULES = new ClassValue<>() {
        @Override
        protected Map<Method, Rule> computeValue(Class<?> type) {
            Rule classRule = rule(type.isAnnotationPresent(AddSlash.class), type.isAnnotationPresent(RemoveSlash.class),
                    type.getName());
            Map<Method, Rule> rules = new HashMap<>();
            for (Method m : type.getMethods()) {
                Rule r = rule(m.isAnnotationPresent(AddSlash.class), m.isAnnotationPresent(RemoveSlash.class),
                        m.toString());
                if (r != null || classRule != null) {
                    rules.put(m, r != null ? r : classRule);
                }
            }
            return Map.copyOf(rules);
        }
    };

    private TrailingSlash() {
    }

    private static Rule rule(boolean add, boolean remove, String where) {
        if (add && remove) {
            throw new IllegalStateException("@AddSlash and @RemoveSlash together on " + where);
        }
        return add ? Rule.ADD : remove ? Rule.REMOVE : null;
    }

    /**
     * Applies the rule of {@code method}, if it has one: redirects (and finishes the response)
     * or throws a 404.
     *
     * @return whether the request was answered, so the method must not run
     * @throws HttpError 404 for a method other than GET or HEAD on a path the rule rejects
     */
    static boolean answered(RequestHandler handler, Method method) {
        Rule rule = RULES.get(handler.getClass()).get(method);
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
