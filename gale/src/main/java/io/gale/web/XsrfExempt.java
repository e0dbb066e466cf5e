package io.gale.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts a handler method, or every method of a handler class, from the automatic XSRF check
 * of the {@code xsrfCookies} setting: for endpoints that browsers do not reach with cookies,
 * such as a webhook authenticated by its own signature or an API taking bearer tokens.
 *
 * <pre>{@code
 * public final class WebhookHandler extends RequestHandler {
 *     @XsrfExempt
 *     public void post() {
 *         verifySignature(request().headers().get("X-Hub-Signature-256"), request().body());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>For a decision made per request, override {@link RequestHandler#checkXsrfCookie()}
 * instead.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface XsrfExempt {
}
