package io.gale.web;

import io.gale.http.HttpConnection;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpServerRequest;
import io.gale.http.HttpStatus;
import io.gale.http.HttpUtil;
import io.gale.http.SetCookie;
import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
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
 * {@link StreamRequestBody}, after {@code prepare}) → {@link #prepare()} → the HTTP method →
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
 * {@code loop().addCallback}). Output is buffered by {@code write} and handed to the connection's
 * loop by {@code flush}/{@code finish}; only the loop touches the connection.
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
    private HttpConnection connection;
    private RequestDispatcher dispatcher;
    private HandlerInfo info;
    private List<String> pathArgs = List.of();
    private Map<String, String> pathKwargs = Map.of();

    private int status;
    private String reason;
    private HttpHeaders headers;
    private final ByteSink body = new ByteSink();
    private Map<String, String> newCookies;
    private boolean headersFlushed;
    private ResponseSender sender;
    private volatile boolean finished;
    private volatile boolean connectionClosed;
    private Object currentUser;
    private boolean currentUserKnown;

    /** Handlers are created by the framework (per request) or by a route's factory. */
    protected RequestHandler() {
    }

    final void attach(Application application, HttpServerRequest request, HttpConnection connection,
            RequestDispatcher dispatcher) {
        this.application = application;
        this.request = request;
        this.connection = connection;
        this.dispatcher = dispatcher;
        this.info = HandlerInfo.of(getClass());
        this.sender = new ResponseSender(connection, request.headers(), application.settings().compressResponse());
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
     */
    protected void initialize(Map<String, Object> initArgs) {
    }

    /**
     * Runs before the HTTP method (after the body, or before it with {@link StreamRequestBody}).
     * A handler that finishes here (a redirect, an error) skips the method. Does nothing by
     * default.
     */
    protected void prepare() throws Exception {
    }

    /**
     * A piece of a streamed body ({@link StreamRequestBody} only). The buffer is valid during the
     * call only (on a virtual thread it is a copy, yours to keep).
     *
     * @return null to receive the next piece at once, or a stage: reading pauses until it completes
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

    /** The request being served. */
    public final HttpServerRequest request() {
        return request;
    }

    public final Application application() {
        return application;
    }

    public final ApplicationSettings settings() {
        return application.settings();
    }

    /** The loop of the request's connection (the handler's thread unless on a virtual thread). */
    public final IOLoop loop() {
        return connection.loop();
    }

    /** The path arguments: the route's groups in order, percent-decoded (null for an unmatched optional group). */
    public final List<String> pathArgs() {
        return pathArgs;
    }

    /** The named groups of the route's pattern, by name. */
    public final Map<String, String> pathKwargs() {
        return pathKwargs;
    }

    /** Whether the response is finished. */
    public final boolean isFinished() {
        return finished;
    }

    /** Whether the client closed the connection. */
    public final boolean isConnectionClosed() {
        return connectionClosed;
    }

    /** The URL of the named route with {@code args} in its groups ({@link Application#reverseUrl}). */
    public final String reverseUrl(String name, Object... args) {
        return application.reverseUrl(name, args);
    }

    // ------------------------------------------------------------------------------- arguments

    /**
     * The last value of the query or body argument {@code name}, stripped, with control
     * characters replaced by spaces.
     *
     * @throws MissingArgumentError (400) if absent
     */
    public final String getArgument(String name) {
        return required(name, getArgument(name, null));
    }

    /** As {@link #getArgument(String)}, or {@code defaultValue} if absent. */
    public final String getArgument(String name, String defaultValue) {
        List<String> body = request.bodyArguments().get(name);
        if (body != null && !body.isEmpty()) {
            return clean(body.get(body.size() - 1));
        }
        return getQueryArgument(name, defaultValue);
    }

    /** All values of {@code name}, query ones first, cleaned; empty if absent. */
    public final List<String> getArguments(String name) {
        List<String> out = new ArrayList<>(getQueryArguments(name));
        out.addAll(getBodyArguments(name));
        return out;
    }

    /** @throws MissingArgumentError (400) if absent */
    public final String getQueryArgument(String name) {
        return required(name, getQueryArgument(name, null));
    }

    public final String getQueryArgument(String name, String defaultValue) {
        return last(request.queryArguments().get(name), defaultValue);
    }

    public final List<String> getQueryArguments(String name) {
        return cleanAll(request.queryArguments().get(name));
    }

    /** @throws MissingArgumentError (400) if absent */
    public final String getBodyArgument(String name) {
        return required(name, getBodyArgument(name, null));
    }

    public final String getBodyArgument(String name, String defaultValue) {
        return last(request.bodyArguments().get(name), defaultValue);
    }

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

    // --------------------------------------------------------------------------------- cookies

    /** The request's cookies. */
    public final Map<String, String> cookies() {
        return request.cookies();
    }

    // ---------------------------------------------------------------------------- current user

    /**
     * The authenticated user of this request (Tornado's {@code current_user}): what
     * {@link #getCurrentUser()} returns, asked once and then remembered, or what
     * {@link #setCurrentUser} set (typically in {@link #prepare()}). Null for nobody.
     */
    public final Object currentUser() {
        if (!currentUserKnown) {
            currentUser = getCurrentUser();
            currentUserKnown = true;
        }
        return currentUser;
    }

    /** Sets the user for this request (Tornado: assigning {@code self.current_user}). */
    protected final void setCurrentUser(Object user) {
        currentUser = user;
        currentUserKnown = true;
    }

    /**
     * Override to determine the user, for example from a cookie; called at most once per request,
     * by the first {@link #currentUser()}. The default is nobody (null).
     */
    protected Object getCurrentUser() {
        return null;
    }

    /** The value of the request cookie {@code name}, or null. */
    public final String getCookie(String name) {
        return request.cookies().get(name);
    }

    public final String getCookie(String name, String defaultValue) {
        return request.cookies().getOrDefault(name, defaultValue);
    }

    /** Sets a cookie with {@code Path=/}; setting the same name again replaces it. */
    public final void setCookie(String name, String value) {
        setCookie(name, value, o -> { });
    }

    /**
     * Sets a cookie with {@code Path=/} and the attributes {@code options} sets:
     * {@code setCookie("sid", token, c -> c.httpOnly(true).secure(true).maxAge(Duration.ofDays(30)))}.
     *
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

    /** Deletes a cookie with {@code Path=/} (an empty value that expired a year ago). */
    public final void clearCookie(String name) {
        clearCookie(name, o -> { });
    }

    /** Deletes a cookie; {@code options} must name the same domain and path it was set with. */
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
        setDefaultHeaders();
    }

    /** Sets the status with its standard reason phrase ("Unknown" for an unregistered code). */
    public final void setStatus(int statusCode) {
        setStatus(statusCode, null);
    }

    /**
     * Sets the status and reason phrase; a reason with characters a status line cannot carry (or
     * {@code <}) becomes "Unknown", as in Tornado 6.5.3.
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

    private static boolean validReason(String r) {
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c == '<' || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    public final int getStatus() {
        return status;
    }

    public final String getReason() {
        return reason;
    }

    /**
     * Sets a response header, replacing earlier values. Values: a String, a Number, or an
     * {@link Instant} (as an HTTP date).
     *
     * @throws IllegalArgumentException "Unsafe header value" for CR, LF, other controls or chars above 0xFF
     * @throws IllegalStateException if the headers were already sent
     */
    public final void setHeader(String name, Object value) {
        checkHeadersNotSent();
        headers.set(name, headerValue(name, value));
    }

    /** Adds a response header value, keeping earlier ones. */
    public final void addHeader(String name, Object value) {
        checkHeadersNotSent();
        headers.add(name, headerValue(name, value));
    }

    /** Removes a response header. */
    public final void clearHeader(String name) {
        checkHeadersNotSent();
        headers.remove(name);
    }

    /** The first value of a response header set so far, or null. */
    public final String getResponseHeader(String name) {
        return headers.get(name);
    }

    private static String headerValue(String name, Object value) {
        Objects.requireNonNull(value, "value");
        String s = value instanceof Instant i ? HttpUtil.formatTimestamp(i) : value.toString();
        return HttpHeadersSupport.checkValue(name, s);
    }

    private void checkHeadersNotSent() {
        if (headersFlushed) {
            throw new IllegalStateException("Cannot change the response after its headers were sent");
        }
    }

    // ---------------------------------------------------------------------------------- output

    /** Appends UTF-8 text to the response body. */
    public final void write(String chunk) {
        checkNotFinished();
        body.adopt(chunk.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends bytes to the response body (copied: the caller may reuse the array). */
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

    /** Writes {@code chunk} (as {@link #write(Object)}), then finishes. */
    public final CompletableFuture<Void> finish(Object chunk) {
        write(chunk);
        return finish();
    }

    /**
     * Ends the response. If nothing was flushed yet: a 200 answer to GET/HEAD without an explicit
     * ETag gets one from {@link #computeEtag()}, and becomes 304 when the request's
     * {@code If-None-Match} matches it; {@code Content-Length} is set.
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
            if (status == 204 || status == 304 || status < 200) {
                body.clear();
                headers.remove("Content-Length");
                if (status == 304) {
                    headers.remove("Content-Type");
                    headers.remove("Content-Encoding");
                    headers.remove("Content-Language");
                }
            } else if (!headers.contains("Content-Length")) {
                headers.set("Content-Length", Integer.toString(body.size()));
            }
        }
        finished = true;
        request.markFinished();
        dispatcher.logRequest(); // before the bytes go, so the log line never lags the response
        CompletableFuture<Void> sent = send(true);
        dispatcher.handlerFinished();
        return sent;
    }

    /** Hands the pending output to the connection (see {@link ResponseSender}). */
    private CompletableFuture<Void> send(boolean last) {
        addNewCookies();
        headersFlushed = true;
        return sender.send(status, reason, headers, body.drain(), last);
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
     * @throws IllegalStateException without the {@code staticPath} setting
     */
    public final String staticUrl(String path) {
        return staticUrl(path, false, true);
    }

    /** {@link #staticUrl(String)}, absolute ({@code protocol://host}) with {@code includeHost}, without {@code ?v=} unless {@code includeVersion}. */
    public final String staticUrl(String path, boolean includeHost, boolean includeVersion) {
        String url = application.staticFiles().url(path, includeVersion);
        return includeHost ? request.protocol() + "://" + request.host() + url : url;
    }

    /**
     * Finishes the response with {@code count} bytes of {@code content} (a {@code FileChannel} from
     * offset {@code start}, another channel from where it is) as its body, the headers
     * (Content-Length set by the caller) going first; {@link StaticFileHandler}'s path to
     * {@link HttpConnection#writeFile} (see {@link ResponseSender#sendContent}). Closes
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
     * @throws UnsupportedOperationException if the connection cannot be detached
     *     (see {@link HttpConnection#detach()})
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
        IOStream stream = connection.detach();
        finished = true;
        request.markFinished();
        dispatcher.logRequest();
        return stream;
    }

    // ------------------------------------------------------------------------------- redirects

    /** Redirects with 302 Found. */
    public final void redirect(String url) {
        redirect(url, 302);
    }

    /** Redirects with 301 Moved Permanently when {@code permanent}, else 302 Found. */
    public final void redirect(String url, boolean permanent) {
        redirect(url, permanent ? 301 : 302);
    }

    /**
     * Redirects with a 3xx {@code status} and finishes the response.
     *
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

    /** Sends an error page for {@code statusCode} (see {@link #sendError(int, Throwable)}). */
    public final void sendError(int statusCode) {
        sendError(statusCode, null);
    }

    /**
     * Replaces the response with an error page: clears output and headers (not cookies), sets the
     * status (with an {@link HttpError}'s reason), calls {@link #writeError} and finishes. After
     * the headers were sent it can only end the response (and logs that).
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
     * {@code <html><title>404: Not Found</title><body>404: Not Found</body></html>}, or the stack
     * trace as text/plain when {@code serveTraceback} is on and there is an exception.
     *
     * @param error the exception behind the error, or null
     */
    protected void writeError(int statusCode, Throwable error) {
        if (error != null && settings().serveTraceback()) {
            setHeader("Content-Type", "text/plain; charset=UTF-8");
            StringWriter sw = new StringWriter();
            error.printStackTrace(new PrintWriter(sw));
            write(sw.toString());
            return;
        }
        String text = statusCode + ": " + escapeHtml(reason);
        // A missing argument is the client's mistake: say which one (escaped), as the page's body.
        String detail = error instanceof MissingArgumentError m
                ? "<p>Missing argument " + escapeHtml(m.argumentName()) + "</p>" : "";
        write("<html><title>" + text + "</title><body>" + text + detail + "</body></html>");
    }

    /**
     * Logs an exception that ends a request: an {@link HttpError} with a log message as one
     * WARNING line on {@code gale.general}, anything else as ERROR with its stack on
     * {@code gale.application}.
     */
    protected void logException(Throwable error) {
        if (error instanceof HttpError he) {
            if (he.logMessage() != null) {
                Logs.GENERAL.warn("{} {}: {}", he.statusCode(), summary(), he.logMessage());
            }
        } else {
            Logs.APP.error("Uncaught exception {}", summary(), error);
        }
    }

    /** The framework's answer to an exception from handler code. */
    final void handleException(Throwable error) {
        Throwable e = unwrap(error);
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

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String escapeHtml(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&#x27;";
                default -> null;
            };
            if (rep != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** "METHOD URI (remote ip)", as in log lines. */
    protected String summary() {
        return request.method() + " " + request.uri() + " (" + request.remoteIp() + ")";
    }

    // ------------------------------------------------------------------------------------ ETags

    /**
     * The ETag for the (unflushed) response body, or null for none: by default the SHA-1 of the
     * body, hex, in quotes (a strong validator, as Tornado). Override to return null to disable.
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
        return HandlerInfo.invoke(this, t, args);
    }

    void markConnectionClosed() {
        connectionClosed = true;
    }
}
