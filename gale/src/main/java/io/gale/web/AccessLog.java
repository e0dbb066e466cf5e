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
        String line = status + " " + handler.summary() + " " + millis(handler.request().requestTimeNanos());
        if (status < 400) {
            LOG.info(line);
        } else if (status < 500) {
            LOG.warn(line);
        } else {
            LOG.error(line);
        }
    }

    /**
     * {@code 1.23ms}: nanoseconds as milliseconds with two decimals, rounded half up. By hand
     * rather than {@code String.format}, whose Formatter costs a lot on the first request and per
     * request, and which would print a decimal comma in some default locales.
     */
    static String millis(long nanos) {
        long hundredths = (Math.max(nanos, 0) + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction + "ms";
    }
}
