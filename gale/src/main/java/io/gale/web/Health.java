package io.gale.web;

import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness endpoints for orchestrators and load balancers (Kubernetes'
 * {@code /healthz}, {@code /readyz}):
 *
 * <pre>{@code
 * app.get("/healthz", Health.liveness())
 *    .get("/readyz", Health.readiness());
 * }</pre>
 *
 * <table>
 * <caption>Answers</caption>
 * <tr><th>handler</th><th>200 {@code {"status": "ok"}}</th><th>503</th></tr>
 * <tr><td>{@link #liveness()}</td><td>whenever the loop that serves it runs</td><td>never: a
 *     process that cannot answer is not alive</td></tr>
 * <tr><td>{@link #readiness()}</td><td>until a graceful shutdown begins</td><td>{@code {"status":
 *     "draining"}} from the moment {@code HttpServer.shutdown} (or {@link Application#drain})
 *     begins; {@code {"status": "unavailable"}} while a check of {@link #readiness(BooleanSupplier)}
 *     is false</td></tr>
 * </table>
 *
 * <p>Both answer with {@code Cache-Control: no-store}, run on the loop and do no I/O, so a probe
 * measures the loop itself. Stateless and thread-safe.
 */
public final class Health {
    private Health() {
    }

    /**
     * 200 while the process serves: the liveness probe.
     *
     * @return the liveness
     */
    public static HandlerFunction liveness() {
        return h -> answer(h, 200, "ok");
    }

    /**
     * 200 until the application drains, then 503: the readiness probe.
     *
     * @return the readiness
     */
    public static HandlerFunction readiness() {
        return readiness(() -> true);
    }

    /**
     * As {@link #readiness()}, also 503 while {@code ready} is false (a database pool not yet
     * filled, a broker not connected). {@code ready} runs on the loop: keep it a field read.
     *
     * @param ready the ready
     * @return the result (see {@link #readiness()})
     */
    public static HandlerFunction readiness(BooleanSupplier ready) {
        return h -> {
            if (h.application().isDraining()) {
                answer(h, 503, "draining");
            } else if (!ready.getAsBoolean()) {
                answer(h, 503, "unavailable");
            } else {
                answer(h, 200, "ok");
            }
        };
    }

    private static void answer(RequestHandler h, int status, String state) {
        h.setStatus(status);
        h.setHeader("Cache-Control", "no-store");
        h.write(Map.of("status", state));
    }
}
