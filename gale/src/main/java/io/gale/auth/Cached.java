package io.gale.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One value fetched from a provider and kept for a while (a discovery document, a JWKS), fetched
 * by one request at a time however many logins ask at once ("single flight"): callers that
 * arrive while a fetch runs share its future. A failed fetch is not kept, so the next caller
 * tries again. Thread-safe (the clients are shared by every loop of an application); the shared
 * future completes on the loop of whoever started the fetch, so callers hand their results to
 * their own loop themselves.
 */
final class Cached<T> {
    private T value;
    private Instant fetchedAt;
    private Instant lastAttempt;
    private CompletableFuture<T> inflight;

    /** The value if fetched less than {@code ttl} before {@code now}, else a fetch. */
    synchronized CompletableFuture<T> get(Instant now, Duration ttl, Supplier<CompletableFuture<T>> fetch) {
        if (value != null && now.isBefore(fetchedAt.plus(ttl))) {
            return CompletableFuture.completedFuture(value);
        }
        return fetch(now, fetch);
    }

    /**
     * A fetch now, unless the last one started less than {@code minInterval} before {@code now}:
     * then null (the caller keeps what it has). A fetch under way is shared.
     */
    synchronized CompletableFuture<T> refresh(Instant now, Duration minInterval, Supplier<CompletableFuture<T>> fetch) {
        if (inflight != null) {
            return inflight;
        }
        if (lastAttempt != null && now.isBefore(lastAttempt.plus(minInterval))) {
            return null;
        }
        return fetch(now, fetch);
    }

    private CompletableFuture<T> fetch(Instant now, Supplier<CompletableFuture<T>> fetch) {
        if (inflight != null) {
            return inflight;
        }
        lastAttempt = now;
        CompletableFuture<T> f;
        try {
            f = fetch.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> started = f;
        inflight = started;
        started.whenComplete((v, e) -> {
            synchronized (this) {
                if (inflight == started) {
                    inflight = null;
                }
                if (e == null) {
                    value = v;
                    fetchedAt = now;
                }
            }
        });
        return started;
    }
}
