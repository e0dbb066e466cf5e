package io.gale.demos.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A bounded wait for a condition the test cannot be told about (a server-side count reached):
 * checks it every 5 ms and fails after {@link #LIMIT} with {@code what}, described at that moment.
 * The test synchronises on the condition, never on the passing of time.
 */
public final class Conditions {
    public static final Duration LIMIT = Duration.ofSeconds(30);

    private Conditions() {
    }

    public static void await(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not reached within " + LIMIT + ": " + what.get());
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
