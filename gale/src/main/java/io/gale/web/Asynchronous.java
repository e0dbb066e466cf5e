package io.gale.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method (or every method of a handler class) as finishing the response itself,
 * from a callback (Tornado's {@code @asynchronous}): the framework does not finish the request
 * when the method returns, and the connection stays open until the handler calls
 * {@link RequestHandler#finish()}.
 *
 * <pre>{@code
 * public final class ProxyHandler extends RequestHandler {
 *     @Asynchronous
 *     public void get() {
 *         client.fetch("http://example.com/").thenAccept(response -> {  // completes on the loop
 *             write(response.body());
 *             finish();
 *         });
 *     }
 * }
 * }</pre>
 *
 * <p>Callbacks must run on the handler's loop (Gale's futures complete there); from another
 * thread, hand the work over with {@code IOLoop.addCallback}. A method that returns a
 * {@link java.util.concurrent.CompletionStage} needs no annotation: the framework finishes when
 * the stage completes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Asynchronous {
}
