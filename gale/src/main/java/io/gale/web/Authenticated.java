package io.gale.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Requires a logged-in user for a handler method, or for every method of a handler class
 * (Tornado's {@code @authenticated}). Before the method runs, after {@code prepare} and
 * {@code prepareAsync}, the framework resolves {@link RequestHandler#currentUser()} (waiting for
 * an asynchronous {@code getCurrentUser}); when it is null:
 *
 * <ul>
 *   <li>GET and HEAD are redirected (302) to {@link RequestHandler#getLoginUrl()} with
 *       {@code ?next=} the request's path and query, so the login page can send the user back
 *       (unless the login URL has a query already, then it is used as it is). {@code next} is
 *       always a local path: a request path that would not be one (such as {@code //evil.example})
 *       becomes {@code /}; read it back with {@link RequestHandler#safeNextUrl(String)}.</li>
 *   <li>Every other method is answered 403.</li>
 * </ul>
 *
 * <pre>{@code
 * @Authenticated
 * public final class AccountHandler extends RequestHandler {
 *     @Override
 *     protected Object getCurrentUser() {
 *         return getSignedCookie("user");
 *     }
 *
 *     public void get() {
 *         write("Hello, " + currentUser());
 *     }
 * }
 * }</pre>
 *
 * <p>Unlike Tornado, {@code next} stays relative even when the login URL is absolute (an open
 * redirect is worse than a login service that must know its way back).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Authenticated {
}
