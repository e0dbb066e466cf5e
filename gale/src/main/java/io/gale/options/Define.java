package io.gale.options;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static field as an option, for {@link OptionParser#defineFields}: the field's type is
 * the option's, its initial value the default, and the parser writes every new value back into
 * it. The name is {@link #name()}, or the field's name in kebab case ({@code maxBodySize} →
 * {@code --max-body-size}).
 *
 * <pre>{@code
 * final class Settings {
 *     @Define(help = "the port to listen on") static int port = 8888;
 *     @Define(help = "hosts allowed", group = "security") static List<String> allowedHosts = List.of();
 * }
 * Options.defineFields(Settings.class);
 * Options.parseCommandLine(args);   // Settings.port now holds --port's value
 * }</pre>
 *
 * <p>The field must be static and not final, and accessible to the {@code io.gale} module (any
 * class on the class path is; a class in a named module needs its package opened to it).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Define {
    /**
     * The option's name; empty for the field's name in kebab case.
     *
     * @return the option's name; empty for the field's name in kebab case
     */
    String name() default "";

    /**
     * The help text ({@code --help} prints it).
     *
     * @return the help text
     */
    String help() default "";

    /**
     * The option's group ({@code --help} lists options by group); empty for the default group.
     *
     * @return the group
     */
    String group() default "";

    /**
     * The value's name in {@code --help} ({@code --port=PORT}); empty for one made from the type.
     *
     * @return the value's name
     */
    String metavar() default "";

    /**
     * An explicit environment variable; empty for the parser's prefix rule.
     *
     * @return an explicit environment variable; empty for the parser's prefix rule
     */
    String env() default "";
}
