package io.gale.testing;

import org.slf4j.event.Level;

/**
 * One log call seen while a test ran (see {@link ExpectLog}).
 *
 * @param level its level
 * @param logger the logger's name
 * @param message the message with its arguments filled in
 * @param throwable the exception logged with it, or null
 * @param thread the name of the thread that logged it
 */
public record LogEvent(Level level, String logger, String message, Throwable throwable, String thread) {
    @Override
    public String toString() {
        return level + " " + logger + " [" + thread + "]: " + message
                + (throwable == null ? "" : " (" + throwable + ")");
    }
}
