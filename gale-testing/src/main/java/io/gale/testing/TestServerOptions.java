package io.gale.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the field or no-argument method of a {@link GaleTest} class that gives the
 * {@code io.gale.http.HttpServerOptions} to serve with (Tornado's
 * {@code get_httpserver_options}); default {@code HttpServerOptions.defaults()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface TestServerOptions {
}
