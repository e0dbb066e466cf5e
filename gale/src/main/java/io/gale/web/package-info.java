/**
 * The web framework (Tornado's {@code tornado.web} and {@code tornado.routing}): an
 * {@link io.gale.web.Application} maps URL patterns to {@link io.gale.web.RequestHandler}
 * classes and serves them on any HTTP server that takes an
 * {@link io.gale.http.HttpServerConnectionDelegate}.
 *
 * <pre>{@code
 * public final class MainHandler extends RequestHandler {
 *     public void get() {
 *         write("Hello, world");
 *     }
 * }
 *
 * Application app = new Application(List.of(Route.url("/", MainHandler.class)));
 * app.listen(8888);
 * IOLoop.instance().start();
 * }</pre>
 *
 * <p>Handler styles: synchronous on the loop (the method returns, the response is finished),
 * callback ({@link io.gale.web.Asynchronous}: the handler calls {@code finish()} itself),
 * future (the method returns a {@link java.util.concurrent.CompletionStage}) and coroutine
 * ({@link io.gale.web.RunOnVirtualThread}: the method runs on a virtual thread where
 * {@code Coroutines.await} and blocking calls are allowed). See {@link io.gale.web.RequestHandler}.
 */
package io.gale.web;
