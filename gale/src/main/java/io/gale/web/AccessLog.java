package io.gale.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default access log (Tornado's {@code log_request}): one line per finished request on the
 * logger {@code gale.access}, {@code 200 GET /path?q (10.0.0.1) 1.23ms}, at INFO below 400, WARN
 * below 500 and ERROR from 500. Stateless and thread-safe.
 */
final class AccessLog {
    static final Logger LOG = LoggerFactory.getLogger("gale.access");

    private AccessLog() {
    }

    static void log(RequestHandler handler) {
        int status = handler.getStatus();
        boolean enabled = status < 400 ? LOG.isInfoEnabled() : status < 500 ? LOG.isWarnEnabled() : LOG.isErrorEnabled();
        if (!enabled) {
            return;
        }
        String line = status + " " + handler.summary() + " "
                + String.format("%.2fms", handler.request().requestTimeNanos() / 1e6);
        if (status < 400) {
            LOG.info(line);
        } else if (status < 500) {
            LOG.warn(line);
        } else {
            LOG.error(line);
        }
    }
}
