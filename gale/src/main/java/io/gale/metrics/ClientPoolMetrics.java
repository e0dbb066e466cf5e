package io.gale.metrics;

import java.util.function.IntSupplier;

/**
 * The gauges of one HTTP client's connection pool (see {@link GaleMetrics#bindHttpClient}).
 * Read from any thread; a pool lives on its loop, so a reading may be a moment old.
 */
public final class ClientPoolMetrics {
    private final String name;
    private final IntSupplier open;
    private final IntSupplier idle;
    private final IntSupplier queued;

    ClientPoolMetrics(String name, IntSupplier open, IntSupplier idle, IntSupplier queued) {
        this.name = name;
        this.open = open;
        this.idle = idle;
        this.queued = queued;
    }

    /**
     * The name given when bound (the {@code client} tag).
     *
     * @return the name given when bound (the {@code client} tag)
     */
    public String name() {
        return name;
    }

    /**
     * Open connections, idle ones included.
     *
     * @return the open
     */
    public int open() {
        return open.getAsInt();
    }

    /**
     * Idle pooled connections.
     *
     * @return the idle
     */
    public int idle() {
        return idle.getAsInt();
    }

    /**
     * Requests waiting for a connection.
     *
     * @return the queued
     */
    public int queued() {
        return queued.getAsInt();
    }

    /**
     * The current values.
     *
     * @return the current values
     */
    public Snapshot snapshot() {
        return new Snapshot(name, open(), idle(), queued());
    }

    /**
     * A pool's values at one moment.
     *
     * @param name the name
     * @param open the open
     * @param idle the idle
     * @param queued the queued
     */
    public record Snapshot(String name, int open, int idle, int queued) {
    }
}
