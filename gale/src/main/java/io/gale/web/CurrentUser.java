package io.gale.web;

import io.gale.concurrent.Coroutines;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The user of one request (behind {@link RequestHandler#currentUser()}): asked of
 * {@link RequestHandler#getCurrentUser()} at most once, or set by the handler. When
 * {@code getCurrentUser} returns a {@link CompletionStage}, its value is the user: the framework
 * waits for it before the HTTP method ({@link #resolve}); asked earlier, it is waited for on a
 * virtual thread, and refused with an {@link IllegalStateException} on the loop, which must not
 * block. Confined to the handler's thread.
 */
final class CurrentUser {
    private Object user;
    private boolean known;
    /** getCurrentUser()'s stage while it runs (asked once, even if waited for twice). */
    private CompletionStage<?> pending;

    /** The user, asking the handler the first time. */
    Object get(RequestHandler handler) {
        if (!known) {
            CompletionStage<?> stage = ask(handler);
            if (!known) {
                CompletableFuture<?> f = stage.toCompletableFuture();
                if (!f.isDone() && handler.loop().inLoop()) {
                    throw new IllegalStateException("currentUser() was asked on the loop before getCurrentUser()'s stage "
                            + "completed: it is known once prepare() and prepareAsync() are done");
                }
                set(f.isDone() ? f.join() : Coroutines.await(f));
            }
        }
        return user;
    }

    void set(Object value) {
        user = value;
        known = true;
        pending = null;
    }

    /**
     * Asks the handler now, if not known yet; null when the user is known after that, else the
     * stage to wait for, whose value goes to {@link #set}.
     */
    CompletionStage<?> resolve(RequestHandler handler) {
        if (known) {
            return null;
        }
        CompletionStage<?> stage = ask(handler);
        if (known) {
            return null;
        }
        CompletableFuture<?> f = stage.toCompletableFuture();
        if (f.isDone()) {
            set(f.join());
            return null;
        }
        return stage;
    }

    /** Calls getCurrentUser (once): a plain value is the user; a stage is kept and returned. */
    private CompletionStage<?> ask(RequestHandler handler) {
        if (pending != null) {
            return pending;
        }
        Object found = handler.getCurrentUser();
        if (found instanceof CompletionStage<?> stage) {
            pending = stage;
            return stage;
        }
        set(found);
        return null;
    }
}
