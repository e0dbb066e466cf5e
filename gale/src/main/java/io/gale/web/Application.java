package io.gale.web;

import io.gale.http.HttpExchange;
import io.gale.http.HttpMessageDelegate;
import io.gale.http.HttpServerConnectionDelegate;
import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.http.HttpServerRequest;
import io.gale.http.HttpUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A web application (Tornado's {@code web.Application}): routes requests to
 * {@link RequestHandler}s by host and path, and serves them on any HTTP server as its
 * {@link HttpServerConnectionDelegate}.
 *
 * <pre>{@code
 * Application app = new Application(List.of(
 *         Route.url("/", MainHandler.class),
 *         Route.url("/story/([0-9]+)", StoryHandler.class, Map.of("db", db), "story")),
 *     ApplicationSettings.builder().compressResponse(true).build());
 * app.addHandlers("admin\\.example\\.com", List.of(Route.url("/", AdminHandler.class)));
 * app.listen(8888);
 * IOLoop.instance().start();
 *
 * // tiny applications: lambdas, served by the same handler machinery
 * Application hello = new Application();
 * hello.get("/", h -> h.write("Hello, world"));
 * hello.post("/echo", h -> h.write(h.getArgument("text")));
 * }</pre>
 *
 * <p>Routing: host patterns are tried in the order added, those from {@link #addHandlers} before
 * the routes given to the constructor (which match any host); within a host, the first route
 * whose pattern matches the whole path wins. No match: the {@code defaultHandlerClass} setting,
 * else 404.
 *
 * <p>Threading: set the application up (routes, lambdas) before serving; after that it is
 * immutable from the requests' point of view and serves every loop at once. Route tables are
 * published safely (copy on write), so adding routes while serving is allowed too.
 */
public class Application implements HttpServerConnectionDelegate {
    private static final Pattern ANY_HOST = Pattern.compile(".*");

    private final ApplicationSettings settings;
    private final VirtualThreadAdmission admission;
    private final Consumer<RequestHandler> logFunction;
    /** Host rules in match order; the any-host rule last. Replaced, never mutated. */
    private volatile List<HostRules> hosts;
    private volatile Map<String, Route> named = Map.of();
    private final Map<String, FunctionHandler.FunctionRoute> functionRoutes = new LinkedHashMap<>();
    /** Created by the first render: an application without templates never loads the template classes. */
    private volatile TemplateRenderer templates;
    private final StaticFiles staticFiles;
    private final GracefulDrain drain = new GracefulDrain();

    private record HostRules(Pattern host, List<Route> routes) {
    }

    /** The result of routing one request. */
    record Match(Route route, List<String> pathArgs, Map<String, String> pathKwargs, HttpError error) {
    }

    /** No route: the default handler (or a server-wide answer) takes the request. */
    static final Match NO_ROUTE = new Match(null, List.of(), Map.of(), null);

    /** An application without routes (add lambdas or {@link #addHandlers}) and default settings. */
    public Application() {
        this(List.of(), ApplicationSettings.defaults());
    }

    /**
     * An application with default settings.
     *
     * @param routes the routes
     */
    public Application(List<Route> routes) {
        this(routes, ApplicationSettings.defaults());
    }

    /**
     * Creates an {@code Application}.
     *
     * @param routes the routes
     * @param settings the settings
     */
    public Application(List<Route> routes, ApplicationSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.admission = new VirtualThreadAdmission(settings.maxVirtualThreadRequests(),
                settings.virtualThreadQueueSize(), settings.virtualThreadAdmissionTimeout());
        this.logFunction = settings.logFunction() != null ? settings.logFunction() : AccessLog::log;
        this.staticFiles = new StaticFiles(settings);
        List<Route> all = new ArrayList<>(staticRoutes(settings));
        all.addAll(routes);
        this.hosts = List.of(new HostRules(ANY_HOST, List.copyOf(all)));
        index(routes);
        checkDefaultHandler(settings); // fail at start-up, not per request
        if (settings.metrics() != null) {
            settings.metrics().bindAdmission(admission::inUse, admission::waiting, admission::rejected);
        }
        DevMode.applicationCreated(settings);
    }

    /**
     * With the {@code staticPath} setting, Tornado's three static routes, ahead of the
     * application's: {@code staticUrlPrefix + "(.*)"}, {@code /(favicon\.ico)} and
     * {@code /(robots\.txt)}, to {@code staticHandlerClass} with {@code staticHandlerArgs} plus
     * {@code path}.
     */
    private static List<Route> staticRoutes(ApplicationSettings settings) {
        if (settings.staticPath() == null) {
            return List.of();
        }
        Map<String, Object> args = new LinkedHashMap<>(settings.staticHandlerArgs());
        args.put("path", settings.staticPath());
        Class<? extends StaticFileHandler> c = settings.staticHandlerClass();
        return List.of(Route.url(Pattern.quote(settings.staticUrlPrefix()) + "(.*)", c, args),
                Route.url("/(favicon\\.ico)", c, args), Route.url("/(robots\\.txt)", c, args));
    }

    /** Static-file state: version cache and URL maker (see {@link StaticFileHandler}). */
    final StaticFiles staticFiles() {
        return staticFiles;
    }

    /**
     * The settings.
     *
     * @return the settings
     */
    public final ApplicationSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------------------ set-up

    /**
     * Adds routes for a host (Tornado's {@code add_handlers}): {@code hostPattern} is a regex
     * matched against the whole host name (lower case, without port). Tried before the routes of
     * hosts added later and before the any-host routes.
     *
     * @param hostPattern the host pattern (a regular expression)
     * @param routes the routes
     */
    public final synchronized void addHandlers(String hostPattern, List<Route> routes) {
        Pattern p = Pattern.compile(hostPattern.endsWith("$") ? hostPattern.substring(0, hostPattern.length() - 1)
                : hostPattern);
        List<HostRules> next = new ArrayList<>(hosts);
        next.add(next.size() - 1, new HostRules(p, List.copyOf(routes)));
        index(routes);
        hosts = List.copyOf(next);
    }

    /**
     * Serves GET (and HEAD) requests of {@code pattern} with a lambda.
     *
     * @param pattern the pattern
     * @param function the function
     * @return this application
     */
    public final Application get(String pattern, HandlerFunction function) {
        return route("GET", pattern, function);
    }

    /**
     * Serves POST requests of {@code pattern} with a lambda.
     *
     * @param pattern the pattern
     * @param function the function
     * @return this application
     */
    public final Application post(String pattern, HandlerFunction function) {
        return route("POST", pattern, function);
    }

    /**
     * Serves PUT requests of {@code pattern} with a lambda.
     *
     * @param pattern the pattern
     * @param function the function
     * @return this application
     */
    public final Application put(String pattern, HandlerFunction function) {
        return route("PUT", pattern, function);
    }

    /**
     * Serves DELETE requests of {@code pattern} with a lambda.
     *
     * @param pattern the pattern
     * @param function the function
     * @return this application
     */
    public final Application delete(String pattern, HandlerFunction function) {
        return route("DELETE", pattern, function);
    }

    /**
     * Serves PATCH requests of {@code pattern} with a lambda.
     *
     * @param pattern the pattern
     * @param function the function
     * @return this application
     */
    public final Application patch(String pattern, HandlerFunction function) {
        return route("PATCH", pattern, function);
    }

    /**
     * Serves requests of {@code method} on {@code pattern} with a lambda; lambdas of one pattern
     * share one route (other methods get 405 with {@code Allow}).
     *
     * @param method the HTTP method
     * @param pattern the pattern
     * @param function the function
     * @return this application
     */
    public final synchronized Application route(String method, String pattern, HandlerFunction function) {
        if (!RequestHandler.SUPPORTED_METHODS.contains(method)) {
            throw new IllegalArgumentException("unsupported method " + method);
        }
        FunctionHandler.FunctionRoute fr = functionRoutes.get(pattern);
        if (fr == null) {
            FunctionHandler.FunctionRoute created = new FunctionHandler.FunctionRoute();
            fr = created;
            functionRoutes.put(pattern, created);
            List<HostRules> next = new ArrayList<>(hosts);
            HostRules any = next.remove(next.size() - 1);
            List<Route> routes = new ArrayList<>(any.routes());
            routes.add(Route.url(pattern, () -> new FunctionHandler(created)));
            next.add(new HostRules(any.host(), List.copyOf(routes)));
            hosts = List.copyOf(next);
        }
        fr.functions.put(method, Objects.requireNonNull(function, "function"));
        return this;
    }

    private synchronized void index(List<Route> routes) {
        Map<String, Route> next = new LinkedHashMap<>(named);
        for (Route r : routes) {
            if (r.name() != null) {
                if (next.containsKey(r.name())) {
                    throw new IllegalArgumentException("two routes are named " + r.name());
                }
                next.put(r.name(), r);
            }
        }
        named = Collections.unmodifiableMap(next);
    }

    // ----------------------------------------------------------------------------- serving

    /**
     * Starts an {@link HttpServer} for this application on all interfaces (Tornado's
     * {@code Application.listen}) and returns it. The server runs on its own {@code LoopGroup},
     * one loop per core, so the seed's {@code app.listen(8888); IOLoop.instance().start();} serves
     * on every core while the main thread keeps the process alive in the default loop.
     *
     * @param port the port
     * @return the started HTTP server
     * @throws IOException if the port cannot be bound
     */
    public final HttpServer listen(int port) throws IOException {
        return listen(port, null, HttpServerOptions.defaults());
    }

    /**
     * As {@link #listen(int)}, on one address ("127.0.0.1", a host name; null for all).
     *
     * @param port the port
     * @param address the address
     * @return the result (see {@link #listen(int)})
     * @throws IOException if the port cannot be bound
     */
    public final HttpServer listen(int port, String address) throws IOException {
        return listen(port, address, HttpServerOptions.defaults());
    }

    /**
     * As {@link #listen(int)}, with server options (timeouts, limits, TLS, xheaders, ...). The
     * options' body limit is the default of {@code @StreamRequestBody} handlers only: a buffered
     * body is held to {@link ApplicationSettings#maxBodySize()} whatever the server's default
     * (see there).
     *
     * @param port the port
     * @param address the address
     * @param options the options
     * @return the result (see {@link #listen(int)})
     * @throws IOException if the port cannot be bound
     */
    public final HttpServer listen(int port, String address, HttpServerOptions options) throws IOException {
        DevMode.beforeListen(settings);
        return httpServer(options).listen(port, address);
    }

    /**
     * An {@link HttpServer} for this application, neither bound nor started (bind and start it on
     * your own loops, or {@code addSockets}), with {@code options} as given: their body limit is
     * the default of {@code @StreamRequestBody} handlers only (see {@link #listen(int, String,
     * HttpServerOptions)}).
     *
     * @param options the options
     * @return an {@link HttpServer} for this application, neither bound nor started (bind and start it on your own loops, or {@code addSockets}), with {@code options} as given: their body limit is the default of {@code @StreamRequestBody} handlers only (see {@link #listen(int, String, HttpServerOptions)})
     */
    public final HttpServer httpServer(HttpServerOptions options) {
        return new HttpServer(this, options);
    }

    @Override
    public final HttpMessageDelegate startRequest(HttpExchange exchange) {
        return new RequestDispatcher(this, exchange);
    }

    /** Finds the route of a request (Tornado's {@code find_handler}). */
    final Match findHandler(HttpServerRequest request) {
        String host = null; // computed only when a host rule needs it: most applications have none
        String path = request.path();
        for (HostRules rules : hosts) {
            if (rules.host() != ANY_HOST) {
                if (host == null) {
                    host = request.hostName();
                }
                if (!rules.host().matcher(host).matches()) {
                    continue;
                }
            }
            for (Route route : rules.routes()) {
                Matcher m = route.compiled().match(path);
                if (m != null) {
                    return match(route, m);
                }
            }
        }
        return NO_ROUTE;
    }

    private static Match match(Route route, Matcher m) {
        PathPattern p = route.compiled();
        int n = p.groupCount();
        if (n == 0) {
            return new Match(route, List.of(), Map.of(), null);
        }
        List<String> args = new ArrayList<>(n);
        Map<String, String> kwargs = new LinkedHashMap<>();
        HttpError error = null;
        for (int i = 1; i <= n; i++) {
            String raw = m.group(i);
            String value = null;
            if (raw != null) {
                try {
                    value = HttpUtil.urlDecode(raw, false);
                } catch (IllegalArgumentException e) {
                    error = new HttpError(400, "Invalid path argument %s: %s", i, e.getMessage());
                    value = raw;
                }
            }
            args.add(value);
            String name = p.groupName(i);
            if (name != null) {
                kwargs.put(name, value);
            }
        }
        return new Match(route, Collections.unmodifiableList(args), Collections.unmodifiableMap(kwargs), error);
    }

    /** The default handler gets no path arguments: its methods must take none (or String...). */
    private static void checkDefaultHandler(ApplicationSettings settings) {
        Class<? extends RequestHandler> c = settings.defaultHandlerClass();
        if (settings.defaultHandler() != null) {
            c = Route.created(settings.defaultHandler(), "defaultHandler").getClass();
        } else if (c != null) {
            HandlerInfo.of(c).checkConstructible("defaultHandlerClass");
        }
        if (c != null) {
            HandlerInfo.of(c).checkPathArguments(0, "the default handler (unmatched paths)");
        }
    }

    final RequestHandler newDefaultHandler() {
        if (settings.defaultHandler() != null) {
            return Route.created(settings.defaultHandler(), "defaultHandler");
        }
        Class<? extends RequestHandler> c = settings.defaultHandlerClass();
        return c == null ? new ErrorHandler(404) : HandlerInfo.of(c).newInstance();
    }

    /**
     * Reports {@code server}'s connections to the {@code metrics} setting (if set) and begins this
     * application's drain when the server's {@link HttpServer#shutdown} begins (see
     * {@link #isDraining()}).
     */
    @Override
    public final io.gale.http.HttpServerListener serverListener(HttpServer server) {
        io.gale.metrics.GaleMetrics m = settings.metrics();
        return new ApplicationServerListener(m == null ? io.gale.http.HttpServerListener.NONE : m.serverListener(server),
                drain);
    }

    /**
     * Whether a graceful shutdown began: readiness is false ({@link Health#readiness()}), open
     * WebSockets were sent close 1001 Going Away, and long polls registered with
     * {@link RequestHandler#onDrain} were asked to answer.
     *
     * @return whether a graceful shutdown began: readiness is false ({@link Health#readiness()}), open WebSockets were sent close 1001 Going Away, and long polls registered with {@link RequestHandler#onDrain} were asked to answer
     */
    public final boolean isDraining() {
        return drain.isDraining();
    }

    /**
     * Begins the drain without a server (a server's {@link HttpServer#shutdown} calls it): see
     * {@link #isDraining()}. Completes when every WebSocket closed and every registered long poll
     * answered; bound the wait yourself ({@code orTimeout}). Idempotent.
     *
     * @param deadline the deadline
     * @return the completable future
     */
    public final java.util.concurrent.CompletableFuture<Void> drain(java.time.Duration deadline) {
        return drain.drain(deadline);
    }

    final GracefulDrain gracefulDrain() {
        return drain;
    }

    /** The connection's own error answers follow the {@code jsonErrors} setting (see {@link ErrorPages}). */
    @Override
    public final io.gale.http.ErrorBody errorBody(int status, String reason) {
        return ErrorPages.protocolError(settings, status, reason);
    }

    /**
     * The URL path of the named route with {@code args} in its groups, percent-encoded
     * (Tornado's {@code reverse_url}).
     *
     * @param name the name
     * @param args the arguments
     * @return the URL path of the named route with {@code args} in its groups, percent-encoded (Tornado's {@code reverse_url})
     * @throws IllegalArgumentException if no route has that name, or its pattern is too complex to
     *     reverse, or the number of arguments is wrong
     */
    public final String reverseUrl(String name, Object... args) {
        Route r = named.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no route named " + name);
        }
        return r.compiled().reverse(args);
    }

    /**
     * Writes the access-log line of a finished request (the {@code logFunction} setting).
     *
     * @param handler the request handler
     */
    protected void logRequest(RequestHandler handler) {
        try {
            logFunction.accept(handler);
        } catch (RuntimeException e) {
            AccessLog.LOG.error("log function failed", e);
        }
    }

    final TemplateRenderer templates() {
        TemplateRenderer t = templates;
        if (t == null) {
            synchronized (this) {
                t = templates;
                if (t == null) {
                    templates = t = new TemplateRenderer(settings);
                }
            }
        }
        return t;
    }

    final VirtualThreadAdmission admission() {
        return admission;
    }
}
