package io.gale.web;

import io.gale.concurrent.CoroutineContext;
import io.gale.concurrent.Coroutines;
import io.gale.http.HttpExchange;
import io.gale.http.HttpFormException;
import io.gale.http.HttpMessageDelegate;
import io.gale.http.HttpServerRequest;
import io.gale.ioloop.IOLoop;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one request through its handler (Tornado's {@code _HandlerDelegate} plus
 * {@code RequestHandler._execute}): routing, body buffering or streaming, the lifecycle, the
 * choice between the loop and a virtual thread, and the admission limit. A buffered body is held
 * to {@link ApplicationSettings#maxBodySize()} by setting it as the exchange's limit, which the
 * exchange enforces (413); a streamed one keeps the server's limit.
 *
 * <p>Threading: the exchange calls it on the loop. A loop handler runs right there; a
 * virtual-thread handler runs each phase (prepare, each body piece, the method) as a coroutine
 * of the request's {@link CoroutineContext}, so phases and the close callback never overlap;
 * the stage of each phase is returned to the exchange, which pauses reading meanwhile.
 */
final class RequestDispatcher implements HttpMessageDelegate {
    /**
     * The logger, created on first use: SLF4J binds its provider on the first getLogger
     * (tens of ms), which a server that has logged nothing yet should not pay before its first
     * response.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
    }

    /** A phase of handler code that may throw anything (the handler turns it into a response). */
    @FunctionalInterface
    private interface Phase {
        void run() throws Throwable;
    }

    private final Application application;
    private final HttpExchange exchange;
    private final IOLoop loop;

    private HttpServerRequest request;
    private RequestHandler handler;
    private String[] pathArgs;
    private boolean streaming;
    private boolean virtual;
    private CoroutineContext context;
    /** Set when the handler answered before the body was complete: the rest is discarded. */
    private boolean discardBody;
    private ByteSink bodyBuffer;
    private boolean admitted;
    private boolean methodStarted;
    private boolean released;
    private boolean closed;
    private CompletableFuture<Void> lastPhase = CompletableFuture.completedFuture(null);
    /** Set when the route's handler is a {@link FallbackHandler}: the rest of the request is the fallback's. */
    private HttpMessageDelegate fallback;
    /** The route's meters (the {@code metrics} setting), or null: resolved once per route, kept by it. */
    private io.gale.metrics.RouteMetrics meter;
    /** The handler's {@link RequestHandler#onDrain} registration, cancelled when the request ends. */
    private DrainHook drainHook;

    RequestDispatcher(Application application, HttpExchange exchange) {
        this.application = application;
        this.exchange = exchange;
        this.loop = exchange.loop();
    }

    @Override
    public CompletionStage<?> headersReceived(HttpServerRequest request) {
        this.request = request;
        boolean serverWide = ServerWideOptions.isAsked(request.method(), request.uri());
        Application.Match match = serverWide ? Application.NO_ROUTE : application.findHandler(request);
        io.gale.metrics.GaleMetrics metrics = application.settings().metrics();
        if (metrics != null) {
            meter = match.route() != null ? match.route().meter(metrics) : metrics.unmatched();
        }
        try {
            handler = match.route() != null ? match.route().newHandler()
                    : serverWide ? new ServerWideOptions()
                    : application.newDefaultHandler();
            handler.attach(application, request, exchange, this);
        } catch (RuntimeException e) {
            // A factory or constructor that threw, a handler class the start-up checks could not
            // see (a factory returning another class), setDefaultHeaders failing: the normal error
            // path (page, access-log line), not a bare answer from the connection.
            Log.LOG.error("Cannot create the handler for {} {}", request.method(), request.uri(), e);
            handler = new ErrorHandler(500);
            handler.attach(application, request, exchange, this);
        }
        try {
            handler.setPathArguments(match.pathArgs(), match.pathKwargs());
            pathArgs = match.pathArgs().toArray(new String[0]);
            handler.initialize(match.route() != null ? match.route().initArgs()
                    : application.settings().defaultHandlerArgs());
            if (handler instanceof FallbackHandler f) {
                fallback = f.fallback().startRequest(exchange);
                return fallback.headersReceived(request);
            }
            String method = request.method();
            if (!RequestHandler.SUPPORTED_METHODS.contains(method)) {
                throw new HttpError(405);
            }
            if (match.error() != null) {
                throw match.error();
            }
            streaming = handler.streams();
            virtual = handler.runsOnVirtualThread(method, pathArgs.length);
        } catch (Throwable t) {
            fallback = null; // a fallback that failed on the head gets nothing more; the handler answers 500
            exchange.setMaxBodySize(application.settings().maxBodySize()); // a body read only to be discarded
            handler.handleException(t);
            discardBody = true;
            return null;
        }
        if (virtual) {
            context = new CoroutineContext(loop);
        }
        if (!streaming) {
            // A buffered body is held to the application's limit; the exchange answers 413 past it.
            exchange.setMaxBodySize(application.settings().maxBodySize());
            return null;
        }
        if (!virtual) {
            CompletableFuture<Void> pending = null;
            try {
                pending = BeforeMethod.onLoop(handler, request.method());
            } catch (Throwable t) {
                handler.handleException(t);
            }
            if (pending == null) {
                discardBody = handler.isFinished();
                return null;
            }
            return pending.handle((v, e) -> { // on the loop; the body waits for it
                if (e != null) {
                    handler.handleException(e);
                }
                discardBody = handler.isFinished();
                return null;
            });
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        admit(() -> spawn(() -> BeforeMethod.onVirtualThread(handler, request.method())).whenComplete((v, e) -> {
            discardBody = handler.isFinished();
            ready.complete(null);
        }), () -> ready.complete(null));
        return ready;
    }

    @Override
    public CompletionStage<?> dataReceived(ByteBuffer chunk) {
        if (fallback != null) {
            return fallback.dataReceived(chunk);
        }
        if (discardBody || handler.isFinished()) {
            return null;
        }
        if (!streaming) {
            if (bodyBuffer == null) {
                bodyBuffer = new ByteSink();
            }
            int n = chunk.remaining();
            if (chunk.hasArray()) {
                bodyBuffer.append(chunk.array(), chunk.arrayOffset() + chunk.position(), n);
            } else {
                byte[] copy = new byte[n];
                chunk.duplicate().get(copy);
                bodyBuffer.append(copy, 0, n);
            }
            return null;
        }
        if (!virtual) {
            CompletionStage<?>[] result = new CompletionStage<?>[1];
            run(() -> result[0] = handler.dataReceived(chunk));
            CompletionStage<?> st = result[0];
            if (st == null) {
                return null;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.addFuture(st, (v, e) -> {
                if (e != null) {
                    handler.handleException(e);
                }
                done.complete(null);
            });
            return done;
        }
        ByteBuffer copy = ByteBuffer.allocate(chunk.remaining()).put(chunk.duplicate()).flip();
        return spawn(() -> {
            CompletionStage<?> st = handler.dataReceived(copy);
            if (st != null) {
                Coroutines.await(st);
            }
        });
    }

    @Override
    public void finish() {
        if (fallback != null) {
            fallback.finish();
            return;
        }
        if (discardBody || handler.isFinished()) {
            return;
        }
        if (!streaming) {
            request.setBody(bodyBuffer == null ? new byte[0] : copyOf(bodyBuffer));
            bodyBuffer = null;
            try {
                request.parseBody(application.settings().formLimits());
            } catch (HttpFormException e) {
                handler.handleException(new HttpError(400, "Invalid body: %s", e.getMessage()));
                return;
            }
        }
        methodStarted = true;
        boolean beforeMethod = !streaming;
        if (!virtual) {
            execute(beforeMethod);
        } else if (admitted) {
            launchMethod(beforeMethod);
        } else {
            admit(() -> launchMethod(beforeMethod), () -> { });
        }
    }

    private static byte[] copyOf(ByteSink sink) {
        byte[] a = sink.array();
        return a.length == sink.size() ? a : java.util.Arrays.copyOf(a, sink.size());
    }

    /** {@link BeforeMethod}'s steps (unless streaming ran them already), then {@link #invokeMethod}. */
    private void execute(boolean beforeMethod) {
        try {
            if (beforeMethod && virtual) {
                BeforeMethod.onVirtualThread(handler, request.method());
            } else if (beforeMethod) {
                CompletableFuture<Void> pending = BeforeMethod.onLoop(handler, request.method());
                if (pending != null) {
                    pending.whenComplete((v, e) -> { // on the loop
                        if (e != null) {
                            handler.handleException(e);
                        } else {
                            invokeMethod();
                        }
                    });
                    return;
                }
            }
        } catch (Throwable t) {
            handler.handleException(t);
            return;
        }
        invokeMethod();
    }

    /** The HTTP method, and the automatic finish. */
    private void invokeMethod() {
        try {
            if (handler.isFinished()) {
                return;
            }
            String method = request.method();
            Object result = handler.invokeHttpMethod(method, pathArgs);
            if (result instanceof CompletionStage<?> stage) {
                if (virtual) {
                    Coroutines.await(stage);
                } else {
                    loop.addFuture(stage, (v, e) -> {
                        if (e != null) {
                            handler.handleException(e);
                        } else if (!handler.isFinished()) {
                            run(handler::finish);
                        }
                    });
                    return;
                }
            } else if (handler.isAsynchronous(method)) {
                return;
            }
            if (!handler.isFinished()) {
                handler.finish();
            }
        } catch (Throwable t) {
            handler.handleException(t);
        }
    }

    private void run(Phase phase) {
        try {
            phase.run();
        } catch (Throwable t) {
            handler.handleException(t);
        }
    }

    /** Runs a phase as a coroutine of the request; completes (never exceptionally) on the loop. */
    private CompletableFuture<Void> spawn(Phase phase) {
        CompletableFuture<Void> f = Coroutines.spawn(context, () -> run(phase));
        lastPhase = f;
        return f;
    }

    /**
     * The method phase as a coroutine that gives its permit back itself, on its own thread, when
     * it ends ({@link VirtualThreadAdmission} is thread-safe): nothing waits for this phase on the
     * loop ({@code lastPhase} matters only before the method starts), so its end costs the loop no
     * wake-up; the response it handed over is the loop's only task from it.
     */
    private void launchMethod(boolean beforeMethod) {
        Coroutines.launch(context, () -> {
            try {
                execute(beforeMethod);
            } finally {
                release();
            }
        });
    }

    /** Gets a virtual-thread permit, then runs {@code then}; or answers 503. */
    private void admit(Runnable then, Runnable afterReject) {
        application.admission().acquire(loop, () -> {
            admitted = true;
            if (closed) {
                release();
                afterReject.run();
                return;
            }
            then.run();
        }, () -> {
            // No coroutine of this request exists yet: the loop may answer directly.
            discardBody = true;
            if (!closed && !handler.isFinished()) {
                handler.handleException(HttpError.withReason(503, "Service Unavailable",
                        "virtual-thread admission limit reached"));
            }
            afterReject.run();
        });
    }

    private void release() {
        if (admitted && !released) {
            released = true;
            application.admission().release();
        }
    }

    /** Called by {@link RequestHandler#finish()} on the handler's thread, before the response is sent. */
    void logRequest() {
        application.logRequest(handler);
        if (meter != null) {
            meter.record(handler.getStatus(), request.requestTimeNanos());
        }
    }

    /** See {@link RequestHandler#onDrain}: one registration per request, the last one wins. */
    DrainHook onDrain(Runnable callback) {
        if (drainHook != null) {
            drainHook.cancel();
        }
        drainHook = application.gracefulDrain().register(loop, callback);
        if (closed || handler.isFinished() && !handler.isDetached()) {
            drainHook.cancel(); // nothing left to drain (a detached socket is: its owner cancels)
        }
        return drainHook;
    }

    private void cancelDrainHook() {
        DrainHook h = drainHook;
        if (h != null) {
            h.cancel();
        }
    }

    /** Called by {@link RequestHandler#finish()} on the handler's thread, after the response was handed over. */
    void handlerFinished() {
        cancelDrainHook();
        try {
            handler.onFinish();
        } catch (RuntimeException e) {
            Log.LOG.error("Exception in onFinish of {}", handler.summary(), e);
        }
    }

    @Override
    public void onConnectionClose() {
        closed = true;
        cancelDrainHook();
        if (fallback != null) {
            fallback.onConnectionClose();
            return;
        }
        if (handler == null || handler.isFinished()) {
            return;
        }
        handler.markConnectionClosed();
        if (virtual && context != null) {
            context.execute(this::deliverClose);
        } else {
            deliverClose();
        }
        if (admitted && !methodStarted) {
            // The method will never run: give the permit back once the running phase ends.
            lastPhase.whenComplete((v, e) -> release());
        }
    }

    private void deliverClose() {
        try {
            handler.onConnectionClose();
        } catch (RuntimeException e) {
            Log.LOG.error("Exception in onConnectionClose of {}", handler.summary(), e);
        }
    }
}
