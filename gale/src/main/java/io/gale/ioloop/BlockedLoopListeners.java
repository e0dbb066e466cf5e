package io.gale.ioloop;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Process-wide observers of blocked-loop reports, told after the reporting loop's own
 * {@link IOLoopOptions#onBlocked()} handler: how metrics count stalls of every loop, including
 * loops a server created with default options. Rare events, so a copy-on-write list.
 *
 * <p>Threading: add and remove from any thread; listeners run on the watchdog thread and must
 * not block. A failing listener is logged and the others still run.
 */
public final class BlockedLoopListeners {
    private static final CopyOnWriteArrayList<Consumer<BlockedLoopReport>> LISTENERS = new CopyOnWriteArrayList<>();

    private BlockedLoopListeners() {
    }

    /**
     * Add.
     *
     * @param listener the listener
     */
    public static void add(Consumer<BlockedLoopReport> listener) {
        LISTENERS.add(listener);
    }

    /**
     * Remove.
     *
     * @param listener the listener
     */
    public static void remove(Consumer<BlockedLoopReport> listener) {
        LISTENERS.remove(listener);
    }

    static void publish(BlockedLoopReport report) {
        for (Consumer<BlockedLoopReport> l : LISTENERS) {
            try {
                l.accept(report);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(BlockedLoopListeners.class).error("blocked-loop listener failed", e);
            }
        }
    }
}
