package io.gale.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Adds a missing trailing slash to the request path (Tornado's {@code @addslash}): a GET or HEAD
 * of {@code /foo?x=1} is redirected permanently (301) to {@code /foo/?x=1}; any other method on a
 * path without the slash is answered 404. Route the pattern with an optional slash
 * ({@code "/foo/?"}) so both forms reach the handler:
 *
 * <pre>{@code
 * public final class FolderHandler extends RequestHandler {
 *     @AddSlash
 *     public void get() { ... }   // always sees /foo/
 * }
 * }</pre>
 *
 * <p>On a method it applies to that method; on a class to every HTTP method of the class. The
 * check runs where Tornado's decorator runs: after {@code prepare()}, instead of the method.
 * A path that would start with {@code //} is folded to one slash (no redirect to another host).
 * Not together with {@link RemoveSlash} on the same method or class: the route is refused at
 * start-up ({@code IllegalArgumentException}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AddSlash {
}
