package io.gale.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Removes trailing slashes from the request path (Tornado's {@code @removeslash}): a GET or
 * HEAD of {@code /foo/?x=1} (or {@code /foo///}) is redirected permanently (301) to
 * {@code /foo?x=1}; any other method on a path ending in a slash is answered 404, as in Tornado
 * (a POST to {@code /} too). {@code /} itself is not redirected, it has nothing left. Route the
 * pattern with optional slashes ({@code "/foo/*"}):
 *
 * <pre>{@code
 * public final class ItemHandler extends RequestHandler {
 *     @RemoveSlash
 *     public void get(String id) { ... }   // always sees /item/42
 * }
 * }</pre>
 *
 * <p>On a method it applies to that method; on a class to every HTTP method of the class. The
 * check runs where Tornado's decorator runs: after {@code prepare()}, instead of the method.
 * A path that would start with {@code //} is folded to one slash (no redirect to another host).
 * Not together with {@link AddSlash} on the same method or class: the route is refused at
 * start-up ({@code IllegalArgumentException}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RemoveSlash {
}
