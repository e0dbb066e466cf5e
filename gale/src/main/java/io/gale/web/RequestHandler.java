package io.gale.web;

import io.gale.concurrent.Futures;
import io.gale.http.ByteTunnel;
import io.gale.http.DetachableExchange;
import io.gale.http.TunnelExchange;
import io.gale.http.HttpExchange;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpServerRequest;
import io.gale.http.HttpStatus;
import io.gale.http.HttpUtil;
import io.gale.http.SetCookie;
import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import io.gale.template.TemplateEngine;
import io.gale.template.TemplateException;
import io.gale.template.TemplateNamespace;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one HTTP request (Tornado's {@code RequestHandler}). Subclass it and add public methods
 * named after HTTP methods, taking the route's path arguments as {@code String}s (or one
 * {@code String...}) and returning {@code void} or a {@link CompletionStage}:
 *
 * <pre>{@code
 * // (1) synchronous, on the loop: the response finishes when the method returns
 * public final class MainHandler extends RequestHandler {
 *     public void get() {
 *         write("Hello, world");
 *     }
 * }
 *
 * // (2) callback style: the handler finishes the response itself
 * public final class CallbackHandler extends RequestHandler {
 *     @Asynchronous
 *     public void get() {
 *         client.fetch(url).thenAccept(r -> { write(r.body()); finish(); });
 *     }
 * }
 *
 * // (3) future style: the response finishes when the returned stage completes
 * public final class FutureHandler extends RequestHandler {
 *     public CompletionStage<?> get(String id) {
 *         return store.load(id).thenAccept(this::write);   // a failure becomes an error page
 *     }
 * }
 *
 * // (4) coroutine style, on a virtual thread: await and blocking calls are allowed
 * @RunOnVirtualThread
 * public final class CoroutineHandler extends RequestHandler {
 *     public void get() {
 *         var both = Coroutines.await(Futures.all(client.fetch(url1), client.fetch(url2)));
 *         write(Map.of("sizes", both.stream().map(r -> r.body().length).toList()));
 *     }
 * }
 * }</pre>
 *
 * <p>Lifecycle: constructor (or the route's factory) → {@link #initialize(Map)} → body received
 * (buffered and parsed as a form; streamed to {@link #dataReceived} with
 * {@link StreamRequestBody}, after {@code prepare}) → the XSRF check ({@link #checkXsrfCookie()},
 * with the {@code xsrfCookies} setting) → {@link #prepare()} → {@link #prepareAsync()} → an
 * asynchronous {@link #getCurrentUser()} and the {@link Authenticated} check → the HTTP method →
 * {@link #finish()} (automatic unless {@link Asynchronous}) → {@link #onFinish()}. An exception
 * becomes an error page ({@link HttpError} its status, {@link Finish} a normal end, anything else
 * 500) through {@link #sendError(int, Throwable)} and {@link #writeError(int, Throwable)}. A
 * method the class does not have is answered 405 with an {@code Allow} header (after
 * {@code prepare}, as in Tornado, so a handler may answer everything there); HEAD is served by
 * {@code get} when there is no {@code head}.
 *
 * <p>Threading: a handler belongs to one request and is used by one thread at a time: the
 * connection's loop, or, with {@link RunOnVirtualThread}, the request's virtual thread. Call its
 * methods only from there (from a callback on another thread, hand over with
 * {@code loop().addCallback}). Output is buffered by {@code write} and handed to the loop by
 * {@code flush}/{@code finish}; only the loop touches the request's
 * {@link io.gale.http.HttpExchange}, the one thing a handler's response goes through.
 *
 * <p>Handler methods are found by reflection, once per class. A class in a named module must
 * export (or open) its package to {@code io.gale}.
 */
public abstract class RequestHandler {
    /** The methods Gale dispatches (Tornado's {@code SUPPORTED_METHODS}); others are answered 405. */
    public static final Set<String> SUPPORTED_METHODS = Set.copyOf(HandlerInfo.HTTP_METHODS);

    /** The {@code Server} header value. */
    public static final String SERVER = "Gale/" + Version.VERSION;

    /**
     * The loggers, created on first use: SLF4J binds its provider on the first getLogger (tens of
     * ms), which the first request should not pay when nothing goes wrong.
     */
    private static final class Logs {
        static final Logger APP = LoggerFactory.getLogger("gale.application");
        static final Logger GENERAL = LoggerFactory.getLogger("gale.general");
    }

    private Application application;
    private HttpServerRequest request;
    private HttpExchange exchange;
    private RequestDispatcher dispatcher;
    private HandlerInfo info;
    private List<String> pathArgs = List.of();
    private Map<String, String> pathKwargs = Map.of();

    private int status;
    private String reason;
    private HttpHeaders headers;
    private final ByteSink body = new ByteSink();
    /** The body's length as a number, for a response that describes a body it does not carry (HEAD). */
    private long contentLength = HttpExchange.UNKNOWN_LENGTH;
    private Map<String, String> newCookies;
    private boolean headersFlushed;
    private ResponseSender sender;
    private volatile boolean finished;
    private volatile boolean connectionClosed;
    /** The connection left HTTP ({@link #detach}): finished as a request, alive as a socket. */
    private boolean detached;
    private final CurrentUser user = new CurrentUser();
    private XsrfProtection xsrf;
    private PageModules pageModules;

    /** Handlers are created by the framework (per request) or by a route's factory. */
    protected RequestHandler() {
    }

    final void attach(Application application, HttpServerRequest request, HttpExchange exchange,
            RequestDispatcher dispatcher) {
        this.application = application;
        this.request = request;
        this.exchange = exchange;
        this.dispatcher = dispatcher;
        this.info = HandlerInfo.of(getClass());
        this.sender = new ResponseSender(exchange, request.headers(), application.settings().compressResponse());
        clear();
    }

    final void setPathArguments(List<String> args, Map<String, String> kwargs) {
        this.pathArgs = args;
        this.pathKwargs = kwargs;
    }

    // ---------------------------------------------------------------------------- overridables

    /**
     * Receives the route's init arguments (Tornado's {@code initialize(**kwargs)}); called once,
     * before anything else. Does nothing by default.
     *
     * @param initArgs the handler's initialization arguments
     */
    protected void initialize(Map<String, Object> initArgs) {
    }

    /**
     * Runs before the HTTP method (after the body, or before it with {@link StreamRequestBody}).
     * A handler that finishes here (a redirect, an error) skips the method. Does nothing by
     * default.
     *
     * @throws Exception any failure; the caller reports it
     */
    protected void prepare() throws Exception {
    }

    /**
     * The asynchronous half of {@link #prepare()} (Tornado's {@code async def prepare}), run
     * right after it: return a stage and the HTTP method waits for it (a failure becomes an error
     * page); null (the default) means nothing to wait for. Java cannot let an override of
     * {@code void prepare()} return a stage, hence the second hook: override either. On a virtual
     * thread, plain blocking code in {@code prepare} does the same.
     *
     * <pre>{@code
     * @Override
     * protected CompletionStage<?> prepareAsync() {
     *     return sessions.load(getSignedCookie("sid")).thenAccept(this::setCurrentUser);
     * }
     * }</pre>
     *
     * @return the asynchronous half of {@link #prepare()} (Tornado's {@code async def prepare}), run right after it: return a stage and the HTTP method waits for it (a failure becomes an error page); null (the default) means nothing to wait for
     * @throws Exception any failure; the caller reports it
     */
    protected CompletionStage<?> prepareAsync() throws Exception {
        return null;
    }

    /**
     * A piece of a streamed body ({@link StreamRequestBody} only). The buffer is valid during the
     * call only (on a virtual thread it is a copy, yours to keep).
     *
     * @param chunk the data to write
     * @return null to receive the next piece at once, or a stage: reading pauses until it completes
     * @throws Exception any failure; the caller reports it
     */
    protected CompletionStage<?> dataReceived(ByteBuffer chunk) throws Exception {
        return null;
    }

    /** Called after the response is finished (cleanup, metrics). Does nothing by default. */
    protected void onFinish() {
    }

    /**
     * The client closed the connection before the response was finished (a long poll that lost
     * its client, say). Never runs at the same time as this handler's other code. Does nothing by
     * default.
     */
    protected void onConnectionClose() {
    }

    /** Sets headers every response of this handler carries (called on start and by {@link #clear()}). */
    protected void setDefaultHeaders() {
    }

    // ---------------------------------------------------------------------------------- access

    /**
     * The request being served.
     *
     * @return the request being served
     */
    public final HttpServerRequest request() {
        return request;
    }

    /**
     * The application.
     *
     * @return the application
     */
    public final Application application() {
        return application;
    }

    /**
     * The settings.
     *
     * @return the settings
     */
    public final ApplicationSettings settings() {
        return application.settings();
    }

    /**
     * The loop of the request's exchange (the handler's thread unless on a virtual thread).
     *
     * @return the loop of the request's exchange (the handler's thread unless on a virtual thread)
     */
    public final IOLoop loop() {
        return exchange.loop();
    }

    /**
     * The path arguments: the route's groups in order, percent-decoded (null for an unmatched optional group).
     *
     * @return the path arguments: the route's groups in order, percent-decoded (null for an unmatched optional group)
     */
    public final List<String> pathArgs() {
        return pathArgs;
    }

    /**
     * The named groups of the route's pattern, by name.
     *
     * @return the named groups of the route's pattern, by name
     */
    public final Map<String, String> pathKwargs() {
        return pathKwargs;
    }

    /**
     * Whether the response is finished.
     *
     * @return whether the response is finished
     */
    public final boolean isFinished() {
        return finished;
    }

    /**
     * Whether the client closed the connection.
     *
     * @return whether the client closed the connection
     */
    public final boolean isConnectionClosed() {
        return connectionClosed;
    }

    /**
     * The URL of the named route with {@code args} in its groups ({@link Application#reverseUrl}).
     *
     * @param name the name
     * @param args the arguments
     * @return the URL of the named route with {@code args} in its groups ({@link Application#reverseUrl})
     */
    public final String reverseUrl(String name, Object... args) {
        return application.reverseUrl(name, args);
    }

    // ------------------------------------------------------------------------------- arguments

    /**
     * The last value of the query or body argument {@code name}, stripped, with control
     * characters replaced by spaces.
     *
     * @param name the name
     * @return the last value of the query or body argument {@code name}, stripped, with control characters replaced by spaces
     * @throws MissingArgumentError (400) if absent
     */
    public final String getArgument(String name) {
        return required(name, getArgument(name, null));
    }

    /**
     * As {@link #getArgument(String)}, or {@code defaultValue} if absent.
     *
     * @param name the name
     * @param defaultValue returned when there is none
     * @return the result (see {@link #getArgument(String)})
     */
    public final String getArgument(String name, String defaultValue) {
        List<String> body = request.bodyArguments().get(name);
        if (body != null && !body.isEmpty()) {
            return clean(body.get(body.size() - 1));
        }
        return getQueryArgument(name, defaultValue);
    }

    /**
     * All values of {@code name}, query ones first, cleaned; empty if absent.
     *
     * @param name the name
     * @return all values of {@code name}, query ones first, cleaned; empty if absent
     */
    public final List<String> getArguments(String name) {
        List<String> out = new ArrayList<>(getQueryArguments(name));
        out.addAll(getBodyArguments(name));
        return out;
    }

    /**
     * The last value of the query argument {@code name}, cleaned as {@link #getArgument(String)} cleans it.
     *
     * @param name the name
     * @return the value
     * @throws MissingArgumentError (400) if absent
     */
    public final String getQueryArgument(String name) {
        return required(name, getQueryArgument(name, null));
    }

    /**
     * As {@link #getQueryArgument(String)}, or {@code defaultValue} if absent.
     *
     * @param name the name
     * @param defaultValue returned when there is none
     * @return the value, or {@code defaultValue}
     */
    public final String getQueryArgument(String name, String defaultValue) {
        return last(request.queryArguments().get(name), defaultValue);
    }

    /**
     * All values of the query argument {@code name}, cleaned; empty if absent.
     *
     * @param name the name
     * @return the values, in request order
     */
    public final List<String> getQueryArguments(String name) {
        return cleanAll(request.queryArguments().get(name));
    }

    /**
     * The last value of the body argument {@code name} (form-encoded or multipart), cleaned as
     * {@link #getArgument(String)} cleans it.
     *
     * @param name the name
     * @return the value
     * @throws MissingArgumentError (400) if absent
     */
    public final String getBodyArgument(String name) {
        return required(name, getBodyArgument(name, null));
    }

    /**
     * As {@link #getBodyArgument(String)}, or {@code defaultValue} if absent.
     *
     * @param name the name
     * @param defaultValue returned when there is none
     * @return the value, or {@code defaultValue}
     */
    public final String getBodyArgument(String name, String defaultValue) {
        return last(request.bodyArguments().get(name), defaultValue);
    }

    /**
     * All values of the body argument {@code name}, cleaned; empty if absent.
     *
     * @param name the name
     * @return the values, in request order
     */
    public final List<String> getBodyArguments(String name) {
        return cleanAll(request.bodyArguments().get(name));
    }

    private static String required(String name, String value) {
        if (value == null) {
            throw new MissingArgumentError(name);
        }
        return value;
    }

    private static String last(List<String> values, String defaultValue) {
        return values == null || values.isEmpty() ? defaultValue : clean(values.get(values.size() - 1));
    }

    private static List<String> cleanAll(List<String> values) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(values.size());
        for (String v : values) {
            out.add(clean(v));
        }
        return out;
    }

    /** Tornado's argument cleaning: C0 controls except whitespace become spaces, then strip. */
    static String clean(String v) {
        char[] chars = null;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if ((c <= 0x08) || (c >= 0x0e && c <= 0x1f)) {
                if (chars == null) {
                    chars = v.toCharArray();
                }
                chars[i] = ' ';
            }
        }
        return (chars == null ? v : new String(chars)).strip();
    }

    // ----------------------------------------------------------------------------- JSON body

    /**
     * The request body as JSON bound to {@code type} (a record, a bean; {@code JsonNode} for a
     * tree), with Jackson: {@code Todo todo = getJsonBody(Todo.class);}. See {@link JsonBody}.
     *
     * @param <T> the type of the values
     * @param type the type
     * @return the request body as JSON bound to {@code type} (a record, a bean; {@code JsonNode} for a tree), with Jackson: {@code Todo todo = getJsonBody(Todo.class);}
     * @throws HttpError 400, with the parse error as its {@link HttpError#detail() detail} (shown
     *     to the client), for an empty body, invalid JSON, trailing text or a value that does not
     *     fit {@code type}
     */
    public final <T> T getJsonBody(Class<T> type) {
        return JsonBody.read(request.body(), type);
    }

    // --------------------------------------------------------------------------------- cookies

    /**
     * The request's cookies.
     *
     * @return the request's cookies
     */
    public final Map<String, String> cookies() {
        return request.cookies();
    }

    // ---------------------------------------------------------------------------- current user

    /**
     * The authenticated user of this request (Tornado's {@code current_user}): what
     * {@link #getCurrentUser()} returns (the value of its stage, if it returns one), asked once
     * and then remembered, or what {@link #setCurrentUser} set (typically in {@link #prepare()}).
     * Null for nobody.
     *
     * @return the authenticated user of this request (Tornado's {@code current_user}): what {@link #getCurrentUser()} returns (the value of its stage, if it returns one), asked once and then remembered, or what {@link #setCurrentUser} set (typically in {@link #prepare()})
     * @throws IllegalStateException on the loop, before an asynchronous {@code getCurrentUser}
     *     completed (it is known from the HTTP method on; on a virtual thread this waits)
     */
    public final Object currentUser() {
        return user.get(this);
    }

    /**
     * Sets the user for this request (Tornado: assigning {@code self.current_user}).
     *
     * @param user the user
     */
    protected final void setCurrentUser(Object user) {
        this.user.set(user);
    }

    /**
     * Override to determine the user, for example from a signed cookie; called at most once per
     * request. The default is nobody (null). Two forms:
     *
     * <ul>
     *   <li>synchronous, returning the user: asked lazily, by the first {@link #currentUser()}
     *       (on a virtual thread it may block, on a database say);</li>
     *   <li>asynchronous, declared to return a {@link CompletionStage} of the user (a covariant
     *       override): asked before the HTTP method, after {@code prepare}/{@code prepareAsync},
     *       and the method runs once the stage completed (a failure becomes an error page).</li>
     * </ul>
     *
     * <pre>{@code
     * @Override
     * protected CompletionStage<User> getCurrentUser() {
     *     String id = getSignedCookie("user");
     *     return id == null ? CompletableFuture.completedFuture(null) : users.find(id);
     * }
     * }</pre>
     *
     * @return the current user
     */
    protected Object getCurrentUser() {
        return null;
    }

    /**
     * The login page of {@link Authenticated} (Tornado's {@code get_login_url}); override to
     * choose it per request. Default: the {@code loginUrl} setting.
     *
     * @return the login page of {@link Authenticated} (Tornado's {@code get_login_url}); override to choose it per request
     * @throws IllegalStateException if the setting is missing
     */
    protected String getLoginUrl() {
        String url = settings().loginUrl();
        if (url == null) {
            throw new IllegalStateException("@Authenticated needs the loginUrl setting (or an overridden getLoginUrl())");
        }
        return url;
    }

    /**
     * The {@code next} argument when it is a local path ({@code /account?tab=2}), else
     * {@code defaultUrl}: where a login handler redirects after a successful login, without
     * letting a crafted link send the user to another site ({@code //evil.example},
     * {@code https://evil.example}, {@code /\evil.example} are refused).
     *
     * @param defaultUrl used when there is none
     * @return the {@code next} argument when it is a local path ({@code /account?tab=2}), else {@code defaultUrl}: where a login handler redirects after a successful login, without letting a crafted link send the user to another site ({@code //evil.example}, {@code https://evil.example}, {@code /\evil.example} are refused)
     */
    public final String safeNextUrl(String defaultUrl) {
        String next = getArgument("next", null);
        return LoginRedirect.isLocalPath(next) ? next : defaultUrl;
    }

    // ---------------------------------------------------------------------------------- locale
    // Tornado's handler.locale; the rules live in io.gale.locale (Locales, AcceptLanguage).
    // Fully qualified: io.gale.locale.Locale is not java.util.Locale.

    private io.gale.locale.Locale locale;

    /**
     * The locale of this request (Tornado's {@code locale}): what {@link #getUserLocale()}
     * returns, else {@link #getBrowserLocale()}; decided on first use and remembered, or set
     * with {@link #setLocale}.
     *
     * @return the locale of this request (Tornado's {@code locale}): what {@link #getUserLocale()} returns, else {@link #getBrowserLocale()}; decided on first use and remembered, or set with {@link #setLocale}
     */
    public final io.gale.locale.Locale locale() {
        if (locale == null) {
            io.gale.locale.Locale user = getUserLocale();
            locale = user != null ? user : getBrowserLocale();
        }
        return locale;
    }

    /**
     * Sets the locale of this request (Tornado: assigning {@code self.locale}).
     *
     * @param locale the locale
     */
    public final void setLocale(io.gale.locale.Locale locale) {
        this.locale = Objects.requireNonNull(locale, "locale");
    }

    /**
     * Override to choose the locale from the user (a stored preference, say), typically with
     * {@code settings().locales().get(code)}; null (the default) falls back to
     * {@link #getBrowserLocale()}.
     *
     * @return the user locale
     */
    protected io.gale.locale.Locale getUserLocale() {
        return null;
    }

    /**
     * {@link #getBrowserLocale(String)} with Tornado's default {@code en_US}.
     *
     * @return the result (see {@link #getBrowserLocale(String)})
     */
    public io.gale.locale.Locale getBrowserLocale() {
        return getBrowserLocale(io.gale.locale.Locales.DEFAULT_LOCALE);
    }

    /**
     * The supported locale closest to the request's {@code Accept-Language} (Tornado's
     * {@code get_browser_locale}), by quality; without a usable header, the closest to
     * {@code defaultCode}. Bounded work for any header (see {@link io.gale.locale.Locales#fromAcceptLanguage}).
     *
     * @param defaultCode the locale code used when none matches
     * @return the supported locale closest to the request's {@code Accept-Language} (Tornado's {@code get_browser_locale}), by quality; without a usable header, the closest to {@code defaultCode}
     */
    public io.gale.locale.Locale getBrowserLocale(String defaultCode) {
        return settings().locales().fromAcceptLanguage(request.headers().getAll("Accept-Language"), defaultCode);
    }

    /**
     * The value of the request cookie {@code name}, or null.
     *
     * @param name the name
     * @return the value of the request cookie {@code name}, or null
     */
    public final String getCookie(String name) {
        return request.cookies().get(name);
    }

    /**
     * The value of the request cookie {@code name}, or {@code defaultValue}.
     *
     * @param name the name
     * @param defaultValue returned when there is no such cookie
     * @return the value, or {@code defaultValue}
     */
    public final String getCookie(String name, String defaultValue) {
        return request.cookies().getOrDefault(name, defaultValue);
    }

    /**
     * Sets a cookie with {@code Path=/}; setting the same name again replaces it.
     *
     * @param name the name
     * @param value the value
     */
    public final void setCookie(String name, String value) {
        setCookie(name, value, o -> { });
    }

    /**
     * Sets a cookie with {@code Path=/} and the attributes {@code options} sets:
     * {@code setCookie("sid", token, c -> c.httpOnly(true).secure(true).maxAge(Duration.ofDays(30)))}.
     *
     * @param name the name
     * @param value the value
     * @param options the options
     * @throws IllegalArgumentException for an invalid name, value or attribute (see {@link SetCookie})
     * @throws IllegalStateException if the headers were already sent
     */
    public final void setCookie(String name, String value, Consumer<SetCookie.Builder> options) {
        checkHeadersNotSent();
        SetCookie.Builder b = SetCookie.builder(name, value).path("/");
        options.accept(b);
        if (newCookies == null) {
            newCookies = new LinkedHashMap<>();
        }
        newCookies.put(name, b.build().headerValue());
    }

    /**
     * Deletes a cookie with {@code Path=/} (an empty value that expired a year ago).
     *
     * @param name the name
     */
    public final void clearCookie(String name) {
        clearCookie(name, o -> { });
    }

    /**
     * Deletes a cookie; {@code options} must name the same domain and path it was set with.
     *
     * @param name the name
     * @param options the options
     */
    public final void clearCookie(String name, Consumer<SetCookie.Builder> options) {
        setCookie(name, "", b -> {
            options.accept(b);
            b.expires(Instant.now().minus(Duration.ofDays(365))).maxAge(Duration.ZERO);
        });
    }

    /** Deletes every cookie the request sent (with {@code Path=/}). */
    public final void clearAllCookies() {
        for (String name : request.cookies().keySet()) {
            clearCookie(name);
        }
    }

    // -------------------------------------------------------------------------- signed cookies

    /**
     * Sets a signed cookie (UTF-8 text) that expires in 30 days (Tornado's {@code set_signed_cookie}).
     *
     * @param name the name
     * @param value the value
     */
    public final void setSignedCookie(String name, String value) {
        setSignedCookie(name, value.getBytes(StandardCharsets.UTF_8), 30, c -> { });
    }

    /**
     * Sets a signed cookie (any bytes) that expires in 30 days.
     *
     * @param name the name
     * @param value the value
     */
    public final void setSignedCookie(String name, byte[] value) {
        setSignedCookie(name, value, 30, c -> { });
    }

    /**
     * As {@link #setSignedCookie(String, byte[], double, Consumer)}, with UTF-8 text.
     *
     * @param name the name
     * @param value the value
     * @param expiresDays days until the cookie expires; null for a session cookie
     * @param options the options
     */
    public final void setSignedCookie(String name, String value, double expiresDays, Consumer<SetCookie.Builder> options) {
        setSignedCookie(name, value.getBytes(StandardCharsets.UTF_8), expiresDays, options);
    }

    /**
     * Signs {@code value} with the {@code cookieSecret} setting (see {@link SignedValues}) and
     * sets it as a cookie with {@code Path=/} and {@code Expires} in {@code expiresDays}, then
     * the attributes {@code options} sets ({@code c -> c.httpOnly(true).secure(true)}; use
     * {@code c.expires(null)} for a cookie that ends with the browser session). How long the
     * browser keeps it is separate from how old {@link #getSignedCookie} accepts it.
     *
     * @param name the name
     * @param value the value
     * @param expiresDays days until the cookie expires; null for a session cookie
     * @param options the options
     * @throws IllegalStateException without a cookie secret
     */
    public final void setSignedCookie(String name, byte[] value, double expiresDays, Consumer<SetCookie.Builder> options) {
        String signed = signedValues().createSignedValue(name, value);
        Instant expires = Instant.now().plusMillis((long) (expiresDays * 86_400_000));
        setCookie(name, signed, c -> {
            c.expires(expires);
            options.accept(c);
        });
    }

    /**
     * The signed cookie's text, at most 31 days old; null if absent or not valid.
     *
     * @param name the name
     * @return the signed cookie's text, at most 31 days old; null if absent or not valid
     */
    public final String getSignedCookie(String name) {
        return signedValues().decodeSignedString(name, getCookie(name));
    }

    /**
     * The signed cookie's text (UTF-8), or null if absent, forged, expired, signed under another
     * name or of a version below {@code minVersion} (Tornado's {@code get_signed_cookie}).
     * Sees only the request's cookies, not those set in this response.
     *
     * @param name the name
     * @param maxAgeDays the longest accepted age, in days
     * @param minVersion the oldest key version accepted
     * @return the signed cookie's text (UTF-8), or null if absent, forged, expired, signed under another name or of a version below {@code minVersion} (Tornado's {@code get_signed_cookie})
     * @throws IllegalStateException without a cookie secret
     */
    public final String getSignedCookie(String name, double maxAgeDays, int minVersion) {
        return signedValues().decodeSignedString(name, getCookie(name), maxAgeDays, minVersion);
    }

    /**
     * As {@link #getSignedCookie(String)}, as bytes.
     *
     * @param name the name
     * @return the result (see {@link #getSignedCookie(String)})
     */
    public final byte[] getSignedCookieBytes(String name) {
        return signedValues().decodeSignedValue(name, getCookie(name));
    }

    /**
     * As {@link #getSignedCookie(String, double, int)}, as bytes.
     *
     * @param name the name
     * @param maxAgeDays the longest accepted age, in days
     * @param minVersion the oldest key version accepted
     * @return the result (see {@link #getSignedCookie(String, double, int)})
     */
    public final byte[] getSignedCookieBytes(String name, double maxAgeDays, int minVersion) {
        return signedValues().decodeSignedValue(name, getCookie(name), maxAgeDays, minVersion);
    }

    /**
     * The key version the signed cookie names, unverified; null if absent or not version 2.
     *
     * @param name the name
     * @return the key version the signed cookie names, unverified; null if absent or not version 2
     */
    public final Integer getSignedCookieKeyVersion(String name) {
        return SignedValues.signatureKeyVersion(getCookie(name));
    }

    /**
     * Signs a value for use outside cookies (Tornado's {@code create_signed_value}).
     *
     * @param name the name
     * @param value the value
     * @return the signed string
     */
    public final String createSignedValue(String name, String value) {
        return signedValues().createSignedValue(name, value);
    }

    /**
     * The signer of the {@code cookieSecret}/{@code cookieSecrets} setting.
     *
     * @return the signer of the {@code cookieSecret}/{@code cookieSecrets} setting
     * @throws IllegalStateException when neither is set
     */
    public final SignedValues signedValues() {
        SignedValues signer = settings().signedValues();
        if (signer == null) {
            throw new IllegalStateException("signed cookies need the cookieSecret setting");
        }
        return signer;
    }

    // ------------------------------------------------------------------------------------ XSRF

    /**
     * This request's XSRF token for pages and scripts (Tornado's {@code xsrf_token}): masked
     * afresh per request, so it differs on every page while the {@code _xsrf} cookie (set now
     * if the request had none) stays the same.
     *
     * @return this request's XSRF token for pages and scripts (Tornado's {@code xsrf_token}): masked afresh per request, so it differs on every page while the {@code _xsrf} cookie (set now if the request had none) stays the same
     */
    public final String xsrfToken() {
        return xsrf().token();
    }

    /**
     * {@code <input type="hidden" name="_xsrf" value="..."/>}, for every form that posts.
     *
     * @return the XSRF form HTML
     */
    public final String xsrfFormHtml() {
        return xsrf().formHtml();
    }

    /**
     * Checks the request's XSRF token (the {@code _xsrf} form field, or the
     * {@code X-XSRFToken} / {@code X-CSRFToken} header) against the {@code _xsrf} cookie; run
     * before {@code prepare} for POST, PUT, PATCH and DELETE when the {@code xsrfCookies}
     * setting is on, unless the method or class is {@link XsrfExempt}. Override to decide per
     * request (calling {@code super.checkXsrfCookie()} to check).
     *
     * @throws HttpError 403, with a log message naming the missing or wrong part
     */
    protected void checkXsrfCookie() {
        xsrf().check();
    }

    private XsrfProtection xsrf() {
        if (xsrf == null) {
            xsrf = new XsrfProtection(this);
        }
        return xsrf;
    }

    // ------------------------------------------------------------------------ status and headers

    /** Resets status, headers and pending output to the defaults (cookies set so far stay). */
    public void clear() {
        checkHeadersNotSent();
        headers = new HttpHeaders();
        headers.set("Server", SERVER);
        headers.set("Content-Type", "text/html; charset=UTF-8");
        status = 200;
        reason = "OK";
        body.clear();
        contentLength = HttpExchange.UNKNOWN_LENGTH;
        setDefaultHeaders();
    }

    /**
     * Sets the status with its standard reason phrase ("Unknown" for an unregistered code).
     *
     * @param statusCode the status code
     */
    public final void setStatus(int statusCode) {
        setStatus(statusCode, null);
    }

    /**
     * Sets the status and reason phrase; a reason with characters a status line cannot carry (or
     * {@code <}) becomes "Unknown", as in Tornado 6.5.3.
     *
     * @param statusCode the status code
     * @param reasonPhrase the reason phrase
     */
    public final void setStatus(int statusCode, String reasonPhrase) {
        if (statusCode < 100 || statusCode > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + statusCode);
        }
        checkHeadersNotSent();
        status = statusCode;
        reason = reasonPhrase == null ? Objects.requireNonNullElse(HttpStatus.reasonPhrase(statusCode), "Unknown")
                : validReason(reasonPhrase) ? reasonPhrase : "Unknown";
    }

    /** The field-value rule (RFC 9110 section 5.5, also the reason-phrase's), and no '<' (Tornado 6.5.3). */
    private static boolean validReason(String r) {
        return HttpHeaders.isValidValue(r) && r.indexOf('<') < 0;
    }

    /**
     * The status.
     *
     * @return the status
     */
    public final int getStatus() {
        return status;
    }

    /**
     * The reason.
     *
     * @return the reason
     */
    public final String getReason() {
        return reason;
    }

    /**
     * Sets a response header, replacing earlier values. Values: a String, a Number, or an
     * {@link Instant} (as an HTTP date).
     *
     * @param name the name
     * @param value the value
     * @throws IllegalArgumentException "Unsafe header value" for CR, LF, other controls or chars above 0xFF
     * @throws IllegalStateException if the headers were already sent
     */
    public final void setHeader(String name, Object value) {
        checkHeadersNotSent();
        headers.set(name, headerValue(value));
    }

    /**
     * Adds a response header value, keeping earlier ones.
     *
     * @param name the name
     * @param value the value
     */
    public final void addHeader(String name, Object value) {
        checkHeadersNotSent();
        headers.add(name, headerValue(value));
    }

    /**
     * Removes a response header.
     *
     * @param name the name
     */
    public final void clearHeader(String name) {
        checkHeadersNotSent();
        headers.remove(name);
    }

    /**
     * The first value of a response header set so far, or null.
     *
     * @param name the name
     * @return the first value of a response header set so far, or null
     */
    public final String getResponseHeader(String name) {
        return headers.get(name);
    }

    private static String headerValue(Object value) {
        Objects.requireNonNull(value, "value");
        String s = value instanceof Instant i ? HttpUtil.formatTimestamp(i) : value.toString();
        return s; // checked by HttpHeaders' value rule as it is set
    }

    private void checkHeadersNotSent() {
        if (headersFlushed) {
            throw new IllegalStateException("Cannot change the response after its headers were sent");
        }
    }

    // ---------------------------------------------------------------------------------- output

    /**
     * Appends UTF-8 text to the response body.
     *
     * @param chunk the data to write
     */
    public final void write(String chunk) {
        checkNotFinished();
        body.adopt(chunk.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Appends bytes to the response body (copied: the caller may reuse the array).
     *
     * @param chunk the data to write
     */
    public final void write(byte[] chunk) {
        checkNotFinished();
        body.append(chunk, 0, chunk.length);
    }

    /**
     * Appends {@code chunk}: a String or byte[] as such, anything else (a Map, a List, a record,
     * a bean) as JSON through Jackson, setting {@code Content-Type: application/json;
     * charset=UTF-8}. {@code <}, {@code >} and {@code &} are escaped inside JSON strings, so the
     * output is safe to embed in HTML. Unlike Tornado, top-level JSON arrays are allowed: the
     * "JSON hijacking" they were refused for needs browsers that no longer exist.
     *
     * @param chunk the data to write
     * @throws IllegalArgumentException if Jackson cannot encode it
     */
    public final void write(Object chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (chunk instanceof String s) {
            write(s);
        } else if (chunk instanceof byte[] b) {
            write(b);
        } else {
            checkNotFinished();
            byte[] json = Json.encode(chunk);
            setHeader("Content-Type", "application/json; charset=UTF-8");
            body.adopt(json);
        }
    }

    private void checkNotFinished() {
        if (finished) {
            throw new IllegalStateException("Cannot write() after finish()");
        }
    }

    /**
     * Sends what was written so far; the first flush sends the headers and makes the response
     * streamed (chunked in HTTP/1.1, since its length is not known yet).
     *
     * @return completes on the loop when the bytes are sent (await it to respect backpressure);
     *     fails if the client went away
     */
    public final CompletableFuture<Void> flush() {
        checkNotFinished();
        return send(false);
    }

    /**
     * Writes {@code chunk} (as {@link #write(Object)}), then finishes.
     *
     * @param chunk the data to write
     * @return a future that completes when it is done, or fails with the error
     */
    public final CompletableFuture<Void> finish(Object chunk) {
        write(chunk);
        return finish();
    }

    /**
     * Ends the response. If nothing was flushed yet: a 200 answer to GET/HEAD without an explicit
     * ETag gets one from {@link #computeEtag()}, and becomes 304 when the request's
     * {@code If-None-Match} matches it; the response is sent with {@code Content-Length} (the
     * body's length, unless the handler set the field itself).
     *
     * @return completes on the loop when the response is sent
     * @throws IllegalStateException if called twice
     */
    public final CompletableFuture<Void> finish() {
        if (finished) {
            throw new IllegalStateException("finish() called twice");
        }
        if (!headersFlushed) {
            String m = request.method();
            if (status == 200 && (m.equals("GET") || m.equals("HEAD")) && !headers.contains("Etag")) {
                setEtagHeader();
                if (checkEtagHeader()) {
                    body.clear();
                    setStatus(304);
                }
            }
            if (!HttpStatus.permitsContent(status)) {
                // no content, so no representation metadata either (RFC 9110 8.1, as Tornado)
                body.clear();
                contentLength = HttpExchange.UNKNOWN_LENGTH;
                headers.remove("Content-Length");
                headers.remove("Content-Type");
                headers.remove("Content-Encoding");
                headers.remove("Content-Language");
            }
            // The body's length goes to the exchange as a number (ResponseSender), which writes Content-Length.
        }
        finished = true;
        request.markFinished();
        dispatcher.logRequest(); // before the bytes go, so the log line never lags the response
        CompletableFuture<Void> sent = send(true);
        dispatcher.handlerFinished();
        return sent;
    }

    /** Hands the pending output to the exchange (see {@link ResponseSender}). */
    private CompletableFuture<Void> send(boolean last) {
        addNewCookies();
        headersFlushed = true;
        return sender.send(status, reason, headers, body.drain(), last, contentLength);
    }

    /**
     * The length of the body this response describes, handed to the exchange as a number (which
     * writes {@code Content-Length}): for an answer to HEAD, which describes the body a GET would
     * get without carrying it ({@link StaticFileHandler}). A handler's own {@code Content-Length}
     * field is read by the exchange instead; the two together are refused.
     */
    final void setContentLength(long length) {
        checkHeadersNotSent();
        contentLength = length;
    }

    private void addNewCookies() {
        if (!sender.headersSent() && newCookies != null) {
            for (String cookie : newCookies.values()) {
                headers.add("Set-Cookie", cookie);
            }
        }
    }

    // ------------------------------------------------------------------------------ static files

    /**
     * The URL of a static file under the {@code staticPath} setting, with its version
     * ({@code /static/app.css?v=...}; Tornado's {@code static_url}): what the
     * {@code staticHandlerClass}'s {@link StaticFileHandler#makeStaticUrl} makes.
     *
     * @param path the path
     * @return the URL of a static file under the {@code staticPath} setting, with its version ({@code /static/app.css?v=...}; Tornado's {@code static_url}): what the {@code staticHandlerClass}'s {@link StaticFileHandler#makeStaticUrl} makes
     * @throws IllegalStateException without the {@code staticPath} setting
     */
    public final String staticUrl(String path) {
        return staticUrl(path, false, true);
    }

    /**
     * {@link #staticUrl(String)}, absolute ({@code protocol://host}) with {@code includeHost}, without {@code ?v=} unless {@code includeVersion}.
     *
     * @param path the path
     * @param includeHost true for an absolute URL ({@code protocol://host/...})
     * @param includeVersion true to append {@code ?v=} and the content hash
     * @return the result (see {@link #staticUrl(String)})
     */
    public final String staticUrl(String path, boolean includeHost, boolean includeVersion) {
        String url = application.staticFiles().url(path, includeVersion);
        return includeHost ? request.protocol() + "://" + request.host() + url : url;
    }

    /**
     * Finishes the response with {@code count} bytes of {@code content} (a {@code FileChannel} from
     * offset {@code start}, another channel from where it is) as its body, the headers
     * (Content-Length set by the caller) going first; {@link StaticFileHandler}'s path to
     * {@link HttpExchange#writeFile} (see {@link ResponseSender#sendContent}). Closes
     * {@code content} when the body is sent or the connection failed.
     *
     * @return completes on the loop when the body is handed over; fails if the client left
     */
    final CompletableFuture<Void> finishWithContent(ReadableByteChannel content, long start, long count) {
        if (finished || headersFlushed) {
            closeQuietly(content);
            throw new IllegalStateException(finished ? "finish() called twice" : "headers were already sent");
        }
        finished = true;
        request.markFinished();
        dispatcher.logRequest();
        addNewCookies();
        headersFlushed = true;
        CompletableFuture<Void> sent;
        try {
            sent = sender.sendContent(status, reason, headers, content, start, count);
        } catch (RuntimeException e) {
            closeQuietly(content);
            throw e;
        }
        sent.whenComplete((v, e) -> closeQuietly(content));
        dispatcher.handlerFinished();
        return sent;
    }

    private static void closeQuietly(ReadableByteChannel c) {
        try {
            c.close();
        } catch (java.io.IOException e) {
            // the response is over either way
        }
    }

    // ------------------------------------------------------------------------------ templates

    /**
     * Renders the template {@code name} with {@link #getTemplateNamespace()} plus {@code model}
     * (Tornado's {@code render}), puts the resources of the UI modules it used into the page, and
     * finishes the response with it. Templates come from the {@code templatePath} setting's
     * directory, else the class path folder {@code templates}.
     *
     * @param name the name
     * @param model the template's variables
     * @return as {@link #finish()}
     * @throws io.gale.template.TemplateException if the template cannot be found, parsed or
     *     rendered (an error page follows, as for any handler exception)
     * @throws IllegalStateException if the response is finished
     */
    public final CompletableFuture<Void> render(String name, Map<String, ?> model) {
        return application.templates().render(this, name, model);
    }

    /**
     * {@link #render(String, Map)} without a model.
     *
     * @param name the name
     * @return a future that completes when it is done, or fails with the error
     */
    public final CompletableFuture<Void> render(String name) {
        return render(name, Map.of());
    }

    /**
     * The template {@code name} rendered with {@link #getTemplateNamespace()} plus {@code model}
     * (Tornado's {@code render_string}); UI modules' resources are collected for a later
     * {@link #render} but not inserted.
     *
     * @param name the name
     * @param model the template's variables
     * @return the template {@code name} rendered with {@link #getTemplateNamespace()} plus {@code model} (Tornado's {@code render_string}); UI modules' resources are collected for a later {@link #render} but not inserted
     */
    public final String renderString(String name, Map<String, ?> model) {
        return application.templates().renderString(this, name, model);
    }

    /**
     * The variables every template of this handler sees (Tornado's
     * {@code get_template_namespace}): {@code handler}, {@code request}, {@code currentUser}.
     * Called once per render; override to add entries ({@code super.getTemplateNamespace().put(...)}).
     * Functions ({@code reverseUrl}, {@code linkify}, the {@code uiMethods}, ...) are the application's.
     *
     * @return the variables every template of this handler sees (Tornado's {@code get_template_namespace}): {@code handler}, {@code request}, {@code currentUser}
     */
    protected TemplateNamespace getTemplateNamespace() {
        return application.templates().namespace(this);
    }

    /**
     * The template directory of this handler (Tornado's {@code get_template_path}): the {@code templatePath} setting.
     *
     * @return the template directory of this handler (Tornado's {@code get_template_path}): the {@code templatePath} setting
     */
    protected Path getTemplatePath() {
        return settings().templatePath();
    }

    /**
     * Makes the template engine for a template directory (Tornado's {@code create_template_loader}),
     * once per directory and application: the {@code templateEngine} setting if given, else Pebble
     * over {@code templatePath} (null: the class path folder {@code templates}) with the
     * {@code autoescape} and {@code compiledTemplateCache} settings.
     *
     * @param templatePath the template path
     * @return the new template engine
     */
    protected TemplateEngine createTemplateLoader(Path templatePath) {
        return TemplateRenderer.defaultEngine(settings(), templatePath);
    }

    /** The UI modules this request used, created when {@code create}; else null if none. */
    final PageModules pageModules(boolean create) {
        if (pageModules == null && create) {
            pageModules = new PageModules(this, application.templates());
        }
        return pageModules;
    }

    // --------------------------------------------------------------------- protocol switch

    /**
     * Ends HTTP processing of this request and takes its connection over, after a
     * {@code 101 Switching Protocols} response was sent with {@link #flush()} (WebSocket's
     * upgrade). The request counts as finished (it is logged, nothing more is written, no
     * connection-close callback comes) and the stream belongs to the caller, who closes it.
     * Call on the loop thread ({@link #loop()}), after the flush: from a virtual thread, hand the
     * call to the loop with {@code loop().addCallback}, which runs it after the flushed headers.
     *
     * @return the connection's stream; bytes the client sent behind the request are its next read
     * @throws IllegalStateException if the response is finished or a 101 was not flushed, or off the loop
     * @throws UnsupportedOperationException if the exchange cannot be detached: it is not a
     *     {@link DetachableExchange} (HTTP/2, in-memory test exchanges)
     */
    protected final IOStream detach() {
        if (finished) {
            throw new IllegalStateException("detach() after finish()");
        }
        if (!headersFlushed || status != 101) {
            throw new IllegalStateException("detach() needs a flushed 101 response first");
        }
        if (!loop().inLoop()) {
            throw new IllegalStateException("detach() must be called on the loop thread");
        }
        if (!(exchange instanceof DetachableExchange detachable)) {
            throw new UnsupportedOperationException(exchange.getClass().getName() + " cannot be detached from HTTP");
        }
        IOStream stream = detachable.detach();
        detached = true;
        finished = true;
        request.markFinished();
        dispatcher.logRequest();
        return stream;
    }

    /**
     * Takes the request's transport over for another protocol, whichever HTTP version carries
     * it: after a flushed {@code 101} on HTTP/1.1, the connection ({@link #detach()}); after a
     * flushed 2xx to an HTTP/2 extended CONNECT (RFC 8441,
     * {@link TunnelExchange#tunnelProtocol()} not null), the stream. The request counts as
     * finished, as with {@link #detach()}. Loop thread, from a callback after the flush.
     *
     * @return the tunnel, owned by the caller (who closes it)
     * @throws IllegalStateException as {@link #detach()}, or without the flushed 2xx on HTTP/2
     * @throws UnsupportedOperationException if the exchange offers neither
     */
    protected final ByteTunnel detachTunnel() {
        if (!(exchange instanceof TunnelExchange t) || t.tunnelProtocol() == null) {
            return ByteTunnel.of(detach());
        }
        if (finished) {
            throw new IllegalStateException("detachTunnel() after finish()");
        }
        if (!headersFlushed || status < 200 || status > 299) {
            throw new IllegalStateException("detachTunnel() needs a flushed 2xx response first");
        }
        if (!loop().inLoop()) {
            throw new IllegalStateException("detachTunnel() must be called on the loop thread");
        }
        ByteTunnel tunnel = t.openTunnel();
        detached = true;
        finished = true;
        request.markFinished();
        dispatcher.logRequest();
        return tunnel;
    }

    // ------------------------------------------------------------------------------- redirects

    /**
     * Redirects with 302 Found.
     *
     * @param url the URL
     */
    public final void redirect(String url) {
        redirect(url, 302);
    }

    /**
     * Redirects with 301 Moved Permanently when {@code permanent}, else 302 Found.
     *
     * @param url the URL
     * @param permanent true for 301 (permanent), false for 302
     */
    public final void redirect(String url, boolean permanent) {
        redirect(url, permanent ? 301 : 302);
    }

    /**
     * Redirects with a 3xx {@code status} and finishes the response.
     *
     * @param url the URL
     * @param status the status code
     * @throws IllegalStateException if the headers were already sent
     */
    public final void redirect(String url, int status) {
        if (status < 300 || status > 399) {
            throw new IllegalArgumentException("not a redirect status: " + status);
        }
        if (headersFlushed) {
            throw new IllegalStateException("Cannot redirect after headers have been written");
        }
        setStatus(status);
        setHeader("Location", url);
        finish();
    }

    // ---------------------------------------------------------------------------------- errors

    /**
     * Sends an error page for {@code statusCode} (see {@link #sendError(int, Throwable)}).
     *
     * @param statusCode the status code
     */
    public final void sendError(int statusCode) {
        sendError(statusCode, null);
    }

    /**
     * Replaces the response with an error page: clears output and headers (not cookies), sets the
     * status (with an {@link HttpError}'s reason), calls {@link #writeError} and finishes. After
     * the headers were sent it can only end the response (and logs that).
     *
     * @param statusCode the status code
     * @param error the error
     */
    public final void sendError(int statusCode, Throwable error) {
        if (headersFlushed) {
            Logs.APP.error("Cannot send error response after headers written: {}", summary());
            if (!finished) {
                try {
                    finish();
                } catch (RuntimeException e) {
                    Logs.APP.error("Failed to flush partial response", e);
                }
            }
            return;
        }
        clear();
        setStatus(statusCode, error instanceof HttpError he ? he.reason() : null);
        if (statusCode == 405) {
            String allow = allowedMethods();
            if (!allow.isEmpty()) {
                setHeader("Allow", allow);
            }
        }
        try {
            writeError(statusCode, error);
        } catch (Exception e) {
            Logs.APP.error("Uncaught exception in writeError", e);
            body.clear();
        }
        if (!finished) {
            finish();
        }
    }

    /**
     * Writes the error page (override for custom pages). Default: a small HTML page
     * {@code <html><title>404: Not Found</title><body>404: Not Found</body></html>} with the
     * error's {@link HttpError#detail()} (a missing argument's name, a JSON parse error) in a
     * paragraph, the stack trace as text/plain when {@code serveTraceback} is on and there is an
     * exception, or JSON with the {@code jsonErrors} setting (see {@link ErrorPages}).
     *
     * @param statusCode the status code
     * @param error the exception behind the error, or null
     */
    protected void writeError(int statusCode, Throwable error) {
        ErrorPages.write(this, statusCode, error);
    }

    /**
     * Logs an exception that ends a request: an {@link HttpError} with a log message as one
     * WARNING line on {@code gale.general}, anything else as ERROR with its stack on
     * {@code gale.application}.
     *
     * @param error the error
     */
    protected void logException(Throwable error) {
        if (error instanceof HttpError he) {
            if (he.logMessage() != null) {
                Logs.GENERAL.warn("{} {}: {}", he.statusCode(), summary(), he.logMessage());
            }
        } else if (error instanceof TemplateException te) {
            Logs.APP.error("Template error {}: {}", summary(), te.getMessage(), te);
        } else {
            Logs.APP.error("Uncaught exception {}", summary(), error);
        }
    }

    /** The framework's answer to an exception from handler code. */
    final void handleException(Throwable error) {
        Throwable e = Futures.unwrap(error);
        try {
            if (e instanceof Finish f) {
                if (!finished) {
                    if (f.chunk() != null) {
                        write(f.chunk());
                    }
                    finish();
                }
                return;
            }
            logException(e);
            if (!finished) {
                sendError(e instanceof HttpError he ? he.statusCode() : 500, e);
            }
        } catch (RuntimeException again) {
            Logs.APP.error("Exception while handling an exception of {}", summary(), again);
        }
    }

    /**
     * "METHOD URI (remote ip)", as in log lines.
     *
     * @return the summary
     */
    protected String summary() {
        return request.method() + " " + request.uri() + " (" + request.remoteIp() + ")";
    }

    // ------------------------------------------------------------------------------------ ETags

    /**
     * The ETag for the (unflushed) response body, or null for none: by default the SHA-1 of the
     * body, hex, in quotes (a strong validator, as Tornado). Override to return null to disable.
     *
     * @return the ETag for the (unflushed) response body, or null for none: by default the SHA-1 of the body, hex, in quotes (a strong validator, as Tornado)
     */
    protected String computeEtag() {
        MessageDigest sha1 = Sha1.newDigest();
        sha1.update(body.array(), 0, body.size());
        return '"' + HexFormat.of().formatHex(sha1.digest()) + '"';
    }

    /** Sets the {@code Etag} header from {@link #computeEtag()}, if it gives one. */
    public final void setEtagHeader() {
        String etag = computeEtag();
        if (etag != null) {
            setHeader("Etag", etag);
        }
    }

    /**
     * Whether the request's {@code If-None-Match} matches the response's {@code Etag} (weak
     * comparison, {@code *} matches any), i.e. whether the client's copy is current.
     *
     * @return whether the request's {@code If-None-Match} matches the response's {@code Etag} (weak comparison, {@code *} matches any), i.e
     */
    public final boolean checkEtagHeader() {
        String etag = headers.get("Etag");
        if (etag == null) {
            return false;
        }
        String mine = stripWeak(etag);
        for (String value : request.headers().getAll("If-None-Match")) {
            for (String candidate : value.split(",")) {
                String c = candidate.trim();
                if (c.equals("*") || stripWeak(c).equals(mine)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String stripWeak(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }

    // ------------------------------------------------------------- framework hooks (package)

    String allowedMethods() {
        return info.allow();
    }

    boolean streams() {
        return info.streaming();
    }

    boolean isAsynchronous(String method) {
        HandlerInfo.Target t = info.target(method, pathArgs.size());
        return t != null && t.asynchronous();
    }

    boolean runsOnVirtualThread(String method, int argCount) {
        if (settings().virtualThreads() || info.classVirtualThread()) {
            return true;
        }
        HandlerInfo.Target t = info.target(method, argCount);
        return t != null && t.virtualThread();
    }

    /** Calls the Java method of {@code method}; returns its stage or null. */
    Object invokeHttpMethod(String method, String[] args) throws Throwable {
        HandlerInfo.Target t = info.target(method, args.length);
        if (t == null) {
            throw new HttpError(405);
        }
        if (TrailingSlash.answered(this, t.slashRule())) { // @AddSlash / @RemoveSlash
            return null;
        }
        return HandlerInfo.invoke(this, t, args);
    }

    /**
     * Runs {@code callback} on this handler's loop when the application begins a graceful
     * shutdown ({@code HttpServer.shutdown}) while this request is still unanswered, at once if
     * it began already. For long-lived requests, which the shutdown waits for: a long poll
     * answers now, typically with {@link #sendRetryLater}. Cancelled when the response finishes
     * or the client leaves; one registration per request (a second replaces the first). See
     * {@link Application#isDraining()}.
     *
     * @param callback the callback
     * @return the registration, for work that outlives the response (a WebSocket cancels it when
     *     it closes)
     */
    public final DrainHook onDrain(Runnable callback) {
        return dispatcher.onDrain(callback);
    }

    /**
     * Answers 503 Service Unavailable with {@code Retry-After} (whole seconds) and the error page:
     * what a long poll cut short by a drain answers, so that its client polls again, elsewhere.
     * Nothing if the response already finished.
     *
     * @param retryAfter the retry after
     */
    public final void sendRetryLater(java.time.Duration retryAfter) {
        GracefulDrain.answerRetryLater(this, retryAfter);
    }

    boolean isDetached() {
        return detached;
    }

    void markConnectionClosed() {
        connectionClosed = true;
    }

    // ---------------------------------------------- steps before the method (see BeforeMethod)

    /** The Java method that will serve {@code method}, or null. */
    HandlerInfo.Target methodTarget(String method) {
        return info.target(method, pathArgs.size());
    }

    HandlerInfo handlerInfo() {
        return info;
    }

    CurrentUser userState() {
        return user;
    }
}
