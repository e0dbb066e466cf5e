package io.gale.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The provider caches' rules: one fetch at a time, failures not kept, lifetimes and the refresh bound. */
@Timeout(30)
class CachedTest {
    final Cached<String> cache = new Cached<>();
    final AtomicInteger fetches = new AtomicInteger();
    CompletableFuture<String> pending = new CompletableFuture<>();
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    CompletableFuture<String> fetch() {
        fetches.incrementAndGet();
        return pending;
    }

    @Test
    void callersDuringAFetchShareIt() {
        CompletableFuture<String> a = cache.get(t0, Duration.ofHours(1), this::fetch);
        CompletableFuture<String> b = cache.get(t0, Duration.ofHours(1), this::fetch);
        assertThat(b).isSameAs(a);
        assertThat(cache.refresh(t0, Duration.ofMinutes(1), this::fetch)).isSameAs(a);
        pending.complete("v1");
        assertThat(cache.get(t0.plusSeconds(3599), Duration.ofHours(1), this::fetch)).isCompletedWithValue("v1");
        assertThat(fetches.get()).isEqualTo(1);
        pending = CompletableFuture.completedFuture("v2");
        assertThat(cache.get(t0.plusSeconds(3600), Duration.ofHours(1), this::fetch)).isCompletedWithValue("v2");
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void aFailureIsNotKept() {
        pending = CompletableFuture.failedFuture(new OAuth2Exception(OAuth2Exception.Kind.PROVIDER_UNAVAILABLE, "down"));
        assertThat(cache.get(t0, Duration.ofHours(1), this::fetch)).isCompletedExceptionally();
        pending = CompletableFuture.completedFuture("up");
        assertThat(cache.get(t0, Duration.ofHours(1), this::fetch)).isCompletedWithValue("up");
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void aFetchThatThrowsFailsItsFuture() {
        assertThat(cache.get(t0, Duration.ofHours(1), () -> {
            throw new IllegalStateException("bad url");
        })).isCompletedExceptionally();
        assertThat(cache.get(t0, Duration.ofHours(1), () -> CompletableFuture.completedFuture("ok"))).isCompletedWithValue("ok");
    }

    @Test
    void refreshesAreBoundedByTheInterval() {
        pending = CompletableFuture.completedFuture("v");
        cache.get(t0, Duration.ofHours(1), this::fetch);
        assertThat(cache.refresh(t0.plusSeconds(59), Duration.ofMinutes(1), this::fetch)).isNull();
        assertThat(cache.refresh(t0.plusSeconds(60), Duration.ofMinutes(1), this::fetch)).isCompletedWithValue("v");
        assertThat(cache.refresh(t0.plusSeconds(61), Duration.ofMinutes(1), this::fetch)).isNull();
        assertThat(fetches.get()).isEqualTo(2);
    }
}
