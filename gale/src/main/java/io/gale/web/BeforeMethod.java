package io.gale.web;

import io.gale.concurrent.Coroutines;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The steps between the request body and the HTTP method (the middle of Tornado's
 * {@code _execute}), in this order:
 *
 * <ol>
 *   <li>the XSRF check, for POST, PUT, PATCH and DELETE when the {@code xsrfCookies} setting is
 *       on (before {@code prepare}, as in Tornado);</li>
 *   <li>{@link RequestHandler#prepare()};</li>
 *   <li>{@link RequestHandler#prepareAsync()}, waited for when it returns a stage;</li>
 *   <li>the current user, when it must be known before the method: {@code getCurrentUser}
 *       returns a stage (waited for), or the method is {@link Authenticated};</li>
 *   <li>the {@link Authenticated} check (a redirect to the login page, or 403).</li>
 * </ol>
 *
 * A step that finishes the response (a redirect, an error) ends the sequence, and the method is
 * not called. Without {@link StreamRequestBody} the steps run once the body is parsed; with it,
 * once the headers are in, and the body waits for them.
 *
 * <p>Threading: on a virtual thread the steps run in line and stages are awaited. On the loop
 * they run in line until a step returns an incomplete stage; the rest then runs on the loop when
 * it completes. A failure of any step (thrown or of a stage) is the caller's to answer.
 */
final class BeforeMethod {
    private static final int XSRF = 0;
    private static final int PREPARE = 1;
    private static final int PREPARE_ASYNC = 2;
    private static final int CURRENT_USER = 3;
    private static final int AUTHENTICATED = 4;
    private static final int STEPS = 5;

    private BeforeMethod() {
    }

    /** Runs the steps on a virtual thread (a coroutine of the request), awaiting stages. */
    static void onVirtualThread(RequestHandler handler, String method) throws Exception {
        for (int i = 0; i < STEPS && !handler.isFinished(); i++) {
            CompletionStage<?> pending = step(handler, method, i);
            if (pending != null) {
                completed(handler, i, Coroutines.await(pending));
            }
        }
    }

    /**
     * Runs the steps on the loop.
     *
     * @return null when they all ran now (the common case, without allocation), else a future
     *     completed on the loop once the rest ran, exceptionally if a step failed
     */
    static CompletableFuture<Void> onLoop(RequestHandler handler, String method) throws Exception {
        return from(handler, method, 0, null);
    }

    private static CompletableFuture<Void> from(RequestHandler handler, String method, int first,
            CompletableFuture<Void> result) throws Exception {
        for (int i = first; i < STEPS && !handler.isFinished(); i++) {
            CompletionStage<?> pending = step(handler, method, i);
            if (pending != null) {
                CompletableFuture<Void> done = result != null ? result : new CompletableFuture<>();
                int step = i;
                handler.loop().addFuture(pending, (value, error) -> {
                    try {
                        if (error != null) {
                            throw error;
                        }
                        completed(handler, step, value);
                        if (from(handler, method, step + 1, done) == null) {
                            done.complete(null);
                        }
                    } catch (Throwable t) {
                        done.completeExceptionally(t);
                    }
                });
                return done;
            }
        }
        return null;
    }

    /** Runs step {@code i}: null when it is done, else the stage it waits for. */
    private static CompletionStage<?> step(RequestHandler handler, String method, int i) throws Exception {
        switch (i) {
            case XSRF -> {
                if (checksXsrf(handler, method)) {
                    handler.checkXsrfCookie();
                }
                return null;
            }
            case PREPARE -> {
                handler.prepare();
                return null;
            }
            case PREPARE_ASYNC -> {
                return handler.prepareAsync();
            }
            case CURRENT_USER -> {
                boolean needed = handler.handlerInfo().asyncCurrentUser() || requiresUser(handler, method);
                return needed ? handler.userState().resolve(handler) : null;
            }
            default -> {
                requireUser(handler, method);
                return null;
            }
        }
    }

    /** A step's stage completed with {@code value}. */
    private static void completed(RequestHandler handler, int step, Object value) {
        if (step == CURRENT_USER) {
            handler.userState().set(value);
        }
    }

    private static boolean checksXsrf(RequestHandler handler, String method) {
        if (!handler.settings().xsrfCookies() || !XsrfProtection.CHECKED_METHODS.contains(method)) {
            return false;
        }
        HandlerInfo.Target t = handler.methodTarget(method);
        return t == null || !t.xsrfExempt();
    }

    private static boolean requiresUser(RequestHandler handler, String method) {
        if (!handler.handlerInfo().anyAuthenticated()) {
            return false; // most handlers: no lookup per request
        }
        HandlerInfo.Target t = handler.methodTarget(method);
        return t != null && t.authenticated();
    }

    /** The {@link Authenticated} check: nobody gets the login page (GET, HEAD) or 403. */
    private static void requireUser(RequestHandler handler, String method) {
        if (!requiresUser(handler, method) || handler.currentUser() != null) {
            return;
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            handler.redirect(LoginRedirect.url(handler.getLoginUrl(), handler.request()));
            return;
        }
        throw new HttpError(403);
    }
}
