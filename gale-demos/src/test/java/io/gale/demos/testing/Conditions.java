package io.gale.demos.testing;

import io.gale.testing.GaleTesting;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The demos' bounded wait for a condition the test cannot be told about (a server-side count
 * reached): gale-testing's {@link GaleTesting#awaitCondition} with the demos' limit, 30 s (their
 * tests hold up to a thousand sockets on a shared CI machine).
 */
public final class Conditions {
    public static final Duration LIMIT = Duration.ofSeconds(30);

    private Conditions() {
    }

    public static void await(BooleanSupplier condition, Supplier<String> what) {
        GaleTesting.awaitCondition(condition, LIMIT, what);
    }
}
