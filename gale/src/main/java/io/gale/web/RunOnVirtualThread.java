package io.gale.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a handler class (or one handler method, and then the whole request it serves) on a virtual
 * thread instead of the connection's loop: coroutine style. There
 * {@code Coroutines.await(future)} suspends straight-line code until the future completes
 * (Tornado's {@code await}), and blocking calls (JDBC, files, {@code Thread.sleep}) are allowed
 * without stalling other connections. {@code ApplicationSettings.Builder#virtualThreads(boolean)}
 * turns it on for every handler of an application.
 *
 * <pre>{@code
 * @RunOnVirtualThread
 * public final class ProfileHandler extends RequestHandler {
 *     public void get(String id) {
 *         User user = Coroutines.await(users.find(id));        // suspends, does not block the loop
 *         List<Post> posts = repository.postsOf(user);          // blocking JDBC is fine here
 *         write(Map.of("user", user.name(), "posts", posts.size()));
 *     }
 * }
 * }</pre>
 *
 * <p>Threading contract: one request is handled by one thread at a time: its
 * {@code prepare}, {@code dataReceived}, HTTP method and {@code onConnectionClose} never run at
 * the same time (a close is delivered while the coroutine waits in {@code await}, or after it
 * returns), while different requests run in parallel on all cores. Output ({@code write},
 * {@code flush}, {@code finish}) is handed to the connection's loop; only the loop touches the
 * socket. Such requests pass an admission limit (see {@link ApplicationSettings}): beyond it they
 * wait a bounded time in a bounded queue, then get 503. Avoid {@code synchronized} around
 * blocking calls (it pins the carrier thread).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RunOnVirtualThread {
}
