package io.gale.web;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One routing rule: a URL pattern, the handler that serves it, its init arguments and an optional
 * name for {@link Application#reverseUrl} (Tornado's {@code url()} / {@code URLSpec}).
 *
 * <pre>{@code
 * List<Route> routes = List.of(
 *     Route.url("/", MainHandler.class),
 *     Route.url("/story/([0-9]+)", StoryHandler.class, Map.of("db", db), "story"),
 *     Route.url("/user/(?<name>[a-z]+)", UserHandler.class).withName("user"),
 *     Route.url("/typed", () -> new TypedHandler(db)));        // a factory: typed init
 * }</pre>
 *
 * <p>The pattern is a {@link java.util.regex.Pattern} matched against the whole request path
 * (a {@code $} is appended if missing), still percent-encoded; each group becomes a path argument
 * (percent-decoded), named groups are also in {@link RequestHandler#pathKwargs()}. A handler class
 * needs a no-argument constructor and gets the init arguments in
 * {@link RequestHandler#initialize(Map)}; a factory builds each handler itself. Immutable.
 *
 * <p>Checked when made, so that mistakes fail at start-up with a message rather than per request:
 * the handler's HTTP methods (public, String parameters, returning void or a stage), its
 * constructor (class routes), and that each HTTP method takes as many path arguments as the
 * pattern captures. A factory is called once for this, to learn its handler's class; that handler
 * is discarded.
 */
public final class Route {
    private final PathPattern pattern;
    private final Class<? extends RequestHandler> handlerClass;
    private final Supplier<? extends RequestHandler> factory;
    private final Map<String, Object> initArgs;
    private final String name;
    /** The route's meters, resolved once per registry: no lookup per request (see {@link #meter}). */
    private volatile MeterSlot meter;

    private record MeterSlot(io.gale.metrics.GaleMetrics owner, io.gale.metrics.RouteMetrics meter) {
    }

    private Route(PathPattern pattern, Class<? extends RequestHandler> handlerClass,
            Supplier<? extends RequestHandler> factory, Map<String, Object> initArgs, String name) {
        this.pattern = pattern;
        this.handlerClass = handlerClass;
        this.factory = factory;
        this.initArgs = Map.copyOf(initArgs);
        this.name = name;
    }

    /** The start-up checks (see the class comment). */
    private static void check(PathPattern pattern, Class<? extends RequestHandler> type, boolean needsConstructor) {
        String where = "route " + pattern.source();
        HandlerInfo info = HandlerInfo.of(type);
        if (needsConstructor) {
            info.checkConstructible(where);
        }
        info.checkPathArguments(pattern.groupCount(), where);
    }

    /**
     * A route to a handler class.
     *
     * @param pattern the pattern
     * @param handler the request handler
     * @return a route to a handler class
     */
    public static Route url(String pattern, Class<? extends RequestHandler> handler) {
        return url(pattern, handler, Map.of(), null);
    }

    /**
     * A route to a handler class with init arguments.
     *
     * @param pattern the pattern
     * @param handler the request handler
     * @param initArgs the handler's initialization arguments
     * @return a route to a handler class with init arguments
     */
    public static Route url(String pattern, Class<? extends RequestHandler> handler, Map<String, Object> initArgs) {
        return url(pattern, handler, initArgs, null);
    }

    /**
     * A named route to a handler class with init arguments; {@code name} may be null.
     *
     * @param pattern the pattern
     * @param handler the request handler
     * @param initArgs the handler's initialization arguments
     * @param name the name
     * @return a named route to a handler class with init arguments; {@code name} may be null
     */
    public static Route url(String pattern, Class<? extends RequestHandler> handler, Map<String, Object> initArgs,
            String name) {
        Objects.requireNonNull(handler, "handler");
        PathPattern p = new PathPattern(pattern);
        check(p, handler, true);
        return new Route(p, handler, null, Objects.requireNonNull(initArgs, "initArgs"), name);
    }

    /**
     * A route to a handler factory, called once per request (typed construction, dependency
     * injection), and once now to check the handler (see the class comment).
     *
     * @param pattern the pattern
     * @param factory the factory
     * @return a route to a handler factory, called once per request (typed construction, dependency injection), and once now to check the handler (see the class comment)
     */
    public static Route url(String pattern, Supplier<? extends RequestHandler> factory) {
        return url(pattern, factory, null);
    }

    /**
     * A named route to a handler factory; {@code name} may be null.
     *
     * @param pattern the pattern
     * @param factory the factory
     * @param name the name
     * @return a named route to a handler factory; {@code name} may be null
     */
    public static Route url(String pattern, Supplier<? extends RequestHandler> factory, String name) {
        Objects.requireNonNull(factory, "factory");
        PathPattern p = new PathPattern(pattern);
        RequestHandler sample;
        try {
            sample = created(factory, "route " + pattern);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the handler factory of route " + pattern
                    + " failed when called at start-up to check its handler: " + e, e);
        }
        check(p, sample.getClass(), false);
        return new Route(p, null, factory, Map.of(), name);
    }

    /**
     * This route with a name.
     *
     * @param name the name
     * @return a copy with this value replaced
     */
    public Route withName(String name) {
        return new Route(pattern, handlerClass, factory, initArgs, name);
    }

    /**
     * This route with other init arguments.
     *
     * @param initArgs the init args
     * @return a copy with this value replaced
     */
    public Route withInitArgs(Map<String, Object> initArgs) {
        return new Route(pattern, handlerClass, factory, initArgs, name);
    }

    /**
     * The pattern as given.
     *
     * @return the pattern as given
     */
    public String pattern() {
        return pattern.source();
    }

    /**
     * The name, or null.
     *
     * @return the name, or null
     */
    public String name() {
        return name;
    }

    /**
     * The handler class, or null for a factory route.
     *
     * @return the handler class, or null for a factory route
     */
    public Class<? extends RequestHandler> handlerClass() {
        return handlerClass;
    }

    /**
     * The handler's initialization arguments.
     *
     * @return the handler's initialization arguments
     */
    public Map<String, Object> initArgs() {
        return initArgs;
    }

    /** This route's meters in {@code metrics}: resolved by pattern on first use, then kept here. */
    io.gale.metrics.RouteMetrics meter(io.gale.metrics.GaleMetrics metrics) {
        MeterSlot s = meter;
        if (s == null || s.owner() != metrics) {
            s = new MeterSlot(metrics, metrics.route(pattern.source()));
            meter = s;
        }
        return s.meter();
    }

    PathPattern compiled() {
        return pattern;
    }

    RequestHandler newHandler() {
        if (factory != null) {
            return created(factory, "route " + pattern.source());
        }
        return HandlerInfo.of(handlerClass).newInstance();
    }

    /** Calls a handler factory; a null handler is the factory's mistake. */
    static RequestHandler created(Supplier<? extends RequestHandler> factory, String what) {
        RequestHandler h = factory.get();
        if (h == null) {
            throw new IllegalStateException("handler factory of " + what + " returned null");
        }
        return h;
    }

    @Override
    public String toString() {
        return "Route[" + pattern.source() + " -> " + (handlerClass != null ? handlerClass.getName() : factory)
                + (name == null ? "" : ", name=" + name) + "]";
    }
}
