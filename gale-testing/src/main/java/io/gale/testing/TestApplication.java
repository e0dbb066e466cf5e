package io.gale.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the field or no-argument method of a {@link GaleTest} class that gives the application to
 * serve (Tornado's {@code get_app}): an {@code io.gale.web.Application}, or any
 * {@code HttpServerConnectionDelegate}. Static or not, any visibility; read (or called) once per
 * server, when the server is first needed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface TestApplication {
}
