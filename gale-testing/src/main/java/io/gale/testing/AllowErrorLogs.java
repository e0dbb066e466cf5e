package io.gale.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets a {@link GaleTest} test (or every test of a class) log at ERROR without failing. Prefer an
 * {@link ExpectLog} around the step that should log: it also fails when the line does not come.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AllowErrorLogs {
    /**
     * Why the errors are fine (for the reader).
     *
     * @return why the errors are fine (for the reader)
     */
    String value() default "";
}
