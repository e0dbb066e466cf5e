package io.gale.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Streams the request body to the handler instead of buffering it (Tornado's
 * {@code @stream_request_body}).
 *
 * <p>{@link RequestHandler#prepare()} runs as soon as the headers arrive; then
 * {@link RequestHandler#dataReceived(java.nio.ByteBuffer)} is called once per piece of the body,
 * and reading from the socket pauses while the stage it returns is pending (flow control); the
 * HTTP method runs after the whole body arrived. {@code request().body()} stays empty and no form
 * arguments are parsed. The application's {@code maxBodySize} does not apply: the body is held to
 * the server's limit ({@code HttpServerOptions}), which the handler may change for its request in
 * {@code prepare()} with {@code request().exchange().setMaxBodySize(n)} (Tornado's
 * {@code request.connection.set_max_body_size}); it decides what it keeps.
 *
 * <pre>{@code
 * @StreamRequestBody
 * public final class UploadHandler extends RequestHandler {
 *     private long bytes;
 *
 *     @Override
 *     public CompletionStage<?> dataReceived(ByteBuffer chunk) {
 *         bytes += chunk.remaining();
 *         return file.write(chunk);   // reading waits until the chunk is on disk
 *     }
 *
 *     public void put() {
 *         write(Map.of("received", bytes));
 *     }
 * }
 * }</pre>
 *
 * <p>Inherited by subclasses; also honoured on an interface the handler class implements.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StreamRequestBody {
}
