package io.gale.web;

import io.gale.http.HttpUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Redirects GET (and HEAD) requests to another URL (Tornado's {@code RedirectHandler}), 301 by
 * default or 302 when not {@code permanent}, with the route's groups substituted into the target
 * ({@code {0}}, {@code {name}}; see {@link UrlTemplate}) and the request's query arguments
 * appended to it as Tornado 5+ does ({@code url_concat}: the target's own query first, then the
 * request's arguments grouped by name in order of first appearance, form-encoded):
 *
 * <pre>{@code
 * List<Route> routes = List.of(
 *     RedirectHandler.route("/oldpath", "/newpath"),                        // 301, ?q=1 kept
 *     RedirectHandler.route("/(.*?)/(.*?)/(.*)", "/{1}/{0}/{2}"),            // swaps two parts
 *     RedirectHandler.route("/docs/(?<page>.*)", "https://docs.example/{page}", false),  // 302
 *     Route.url("/old", RedirectHandler.class, Map.of("url", "/new", "permanent", false))); // Tornado style
 * }</pre>
 *
 * <p>Other methods are answered 405, as in Tornado. When the template is a path on this server
 * ({@code /...}), a result that starts with {@code //} (a group that captured a leading slash) is
 * folded to one slash, so it cannot become a redirect to another host ({@link LocalRedirect}).
 *
 * <p>Init arguments: {@code url} (required, a String), {@code permanent} (a Boolean, default
 * true). A template Gale cannot read fails the route at start-up with {@link #route}, and the
 * request with a 500 otherwise. Like every handler, one instance per request.
 */
public class RedirectHandler extends RequestHandler {
    private UrlTemplate url;
    private boolean permanent = true;

    /** A handler configured by init arguments ({@code url}, {@code permanent}). */
    public RedirectHandler() {
    }

    /**
     * A handler for a factory route.
     *
     * @param url the URL
     * @param permanent true for 301 (permanent), false for 302
     * @throws IllegalArgumentException if {@code url} is not a template Gale can read
     */
    public RedirectHandler(String url, boolean permanent) {
        this.url = UrlTemplate.parse(url);
        this.permanent = permanent;
    }

    /**
     * A route redirecting {@code pattern} permanently (301) to {@code url}.
     *
     * @param pattern the pattern
     * @param url the URL
     * @return a route redirecting {@code pattern} permanently (301) to {@code url}
     */
    public static Route route(String pattern, String url) {
        return route(pattern, url, true);
    }

    /**
     * A route redirecting {@code pattern} to {@code url}, with 301 when {@code permanent}, else 302.
     *
     * @param pattern the pattern
     * @param url the URL
     * @param permanent true for 301 (permanent), false for 302
     * @return a route redirecting {@code pattern} to {@code url}, with 301 when {@code permanent}, else 302
     * @throws IllegalArgumentException if {@code url} is not a template Gale can read
     */
    public static Route route(String pattern, String url, boolean permanent) {
        UrlTemplate.parse(url); // refuse a bad template at start-up
        return Route.url(pattern, () -> new RedirectHandler(url, permanent));
    }

    @Override
    protected void initialize(Map<String, Object> initArgs) {
        Object u = initArgs.get("url");
        if (u != null) {
            url = UrlTemplate.parse(u.toString());
        }
        Object p = initArgs.get("permanent");
        if (p != null) {
            permanent = (Boolean) p;
        }
        if (url == null) {
            throw new IllegalStateException("RedirectHandler needs the init argument \"url\"");
        }
    }

    /**
     * Redirects to the {@code url} template filled with the route's groups (301 or 302).
     *
     * @param args the route's groups (the template reads them through {@link #pathArgs()})
     */
    public void get(String... args) {
        String to = url.format(pathArgs(), pathKwargs());
        if (url.isLocalPath()) {
            to = LocalRedirect.path(to);
        }
        Map<String, List<String>> query = request().queryArguments();
        if (!query.isEmpty()) {
            List<Map.Entry<String, String>> pairs = new ArrayList<>();
            query.forEach((name, values) -> values.forEach(v -> pairs.add(Map.entry(name, v))));
            to = HttpUtil.urlConcat(to, pairs);
        }
        redirect(to, permanent);
    }
}
