package io.gale.demos.httpbin;

import java.util.List;
import java.util.Map;

/**
 * Cookies: {@code /cookies} shows them, {@code /cookies/set?name=value} (or
 * {@code /cookies/set/{name}/{value}}) sets them and {@code /cookies/delete?name} deletes them,
 * both redirecting to {@code /cookies}. A name or value a cookie cannot carry is a 400.
 * Synchronous.
 */
final class Cookies {
    private Cookies() {
    }

    /** {@code GET /cookies}: {"cookies": {...}}. */
    public static final class Show extends HttpBinHandler {
        public void get() {
            write(Map.of("cookies", new java.util.TreeMap<>(cookies())));
        }
    }

    /** {@code GET /cookies/set?name=value...}. */
    public static final class Set extends HttpBinHandler {
        public void get() {
            for (Map.Entry<String, List<String>> e : request().queryArguments().entrySet()) {
                List<String> values = e.getValue();
                set(this, e.getKey(), values.isEmpty() ? "" : values.get(values.size() - 1));
            }
            redirect("/cookies");
        }
    }

    /** {@code GET /cookies/set/{name}/{value}}. */
    public static final class SetOne extends HttpBinHandler {
        public void get(String name, String value) {
            set(this, name, value);
            redirect("/cookies");
        }
    }

    /** {@code GET /cookies/delete?name...}. */
    public static final class Delete extends HttpBinHandler {
        public void get() {
            for (String name : request().queryArguments().keySet()) {
                try {
                    clearCookie(name);
                } catch (IllegalArgumentException e) {
                    throw badRequest("cannot delete cookie %s: %s", name, e.getMessage());
                }
            }
            redirect("/cookies");
        }
    }

    private static void set(HttpBinHandler h, String name, String value) {
        try {
            h.setCookie(name, value);
        } catch (IllegalArgumentException e) {
            throw HttpBinHandler.badRequest("cannot set cookie %s: %s", name, e.getMessage());
        }
    }
}
