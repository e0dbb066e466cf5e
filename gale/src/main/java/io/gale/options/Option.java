package io.gale.options;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One defined option (Tornado's {@code _Option}): its name, type, default, help text and group,
 * and its current value. Obtained from {@link OptionParser#define} (or {@link Options#define} for
 * the global parser); keep it in a field and read it with {@link #get()} after parsing:
 *
 * <pre>{@code
 * static final Option<Integer> PORT = Options.define("port", 8888, "the port to listen on");
 * ...
 * Options.parseCommandLine(args);
 * app.listen(PORT.get());
 * }</pre>
 *
 * <p><b>Where a value comes from.</b> The value is the one from the highest-ranked
 * {@linkplain Source source} that gave one: {@link #set} in the program, else the command line,
 * else the environment variable, else the configuration file, else the default. So the order in
 * which a program parses its sources does not matter (Tornado's last-parse-wins made programs
 * parse the command line twice, around the configuration file).
 *
 * <p><b>Threading.</b> Values are published through a volatile field: parse on one thread
 * before starting the loops, read from any. A callback runs on the thread that parsed.
 *
 * @param <T> the value type; for a list option, {@code List<E>}
 */
public final class Option<T> {
    /** Where an option's value came from, lowest rank first. */
    public enum Source {
        /** Nothing set it. */
        DEFAULT,
        /** {@link OptionParser#parseConfigFile}. */
        CONFIG_FILE,
        /** An environment variable ({@link #envName()}). */
        ENVIRONMENT,
        /** {@link OptionParser#parseCommandLine}. */
        COMMAND_LINE,
        /** {@link Option#set} in the program. */
        PROGRAM
    }

    private final String name;
    private final Class<?> type;
    private final boolean list;
    private final T defaultValue;
    private final String help;
    private final String metavar;
    private final String group;
    private final OptionParser parser;
    /** An explicit environment variable, or null for the parser's prefix + name. */
    private final String envName;
    private final boolean noEnv;
    private final Consumer<? super T> callback;
    private final Predicate<? super T> check;
    private final String requirement;
    private final boolean repeatable;
    private volatile T value;
    private volatile Source source = Source.DEFAULT;

    Option(OptionParser parser, String name, Class<?> type, boolean list, T defaultValue, String help, String metavar,
           String group, String envName, boolean noEnv, Consumer<? super T> callback, Predicate<? super T> check,
           String requirement, boolean repeatable) {
        this.parser = parser;
        this.repeatable = repeatable;
        this.check = check;
        this.requirement = requirement;
        this.name = name;
        this.type = type;
        this.list = list;
        this.defaultValue = defaultValue;
        this.help = help == null ? "" : help;
        this.metavar = metavar;
        this.group = group == null ? "" : group;
        this.envName = envName;
        this.noEnv = noEnv;
        this.callback = callback;
        this.value = defaultValue;
    }

    /**
     * The name as written on the command line, without dashes ({@code print-headers}).
     *
     * @return the name as written on the command line, without dashes ({@code print-headers})
     */
    public String name() {
        return name;
    }

    /**
     * The value type; for a list option the element type.
     *
     * @return the value type; for a list option the element type
     */
    public Class<?> type() {
        return type;
    }

    /**
     * Whether this option holds a comma-separated list ({@link OptionParser#defineList}).
     *
     * @return whether this option holds a comma-separated list ({@link OptionParser#defineList})
     */
    public boolean isList() {
        return list;
    }

    /**
     * Whether each occurrence on the command line adds one item ({@code --header A:1 --header B:2})
     * instead of replacing the list with its comma-separated items.
     *
     * @return whether each occurrence on the command line adds one item ({@code --header A:1 --header B:2}) instead of replacing the list with its comma-separated items
     */
    public boolean isRepeatable() {
        return repeatable;
    }

    /**
     * The {@code defaultValue} setting (see {@link Builder#defaultValue}).
     *
     * @return the {@code defaultValue} setting (see {@link Builder#defaultValue})
     */
    public T defaultValue() {
        return defaultValue;
    }

    /**
     * The {@code help} setting (see {@link Builder#help}).
     *
     * @return the {@code help} setting (see {@link Builder#help})
     */
    public String help() {
        return help;
    }

    /**
     * What {@code --help} shows after {@code --name=}; derived from the type unless given.
     *
     * @return what {@code --help} shows after {@code --name=}; derived from the type unless given
     */
    public String metavar() {
        return metavar != null ? metavar : type == Boolean.class ? null : ValueParser.metavar(type);
    }

    /**
     * The group {@code --help} lists this option under ({@code ""} for the parser's own section).
     *
     * @return the group {@code --help} lists this option under ({@code ""} for the parser's own section)
     */
    public String group() {
        return group;
    }

    /**
     * The environment variable read as a fallback: the one given with {@link Builder#env}, else
     * the parser's {@linkplain OptionParser#envPrefix(String) prefix} + the name in upper case
     * with {@code _} for {@code -} ({@code GALE_PORT}); null when there is none.
     *
     * @return the environment variable read as a fallback: the one given with {@link Builder#env}, else the parser's {@linkplain OptionParser#envPrefix(String) prefix} + the name in upper case with {@code _} for {@code -} ({@code GALE_PORT}); null when there is none
     */
    public String envName() {
        return noEnv ? null : envName != null ? envName : parser.envNameFor(name);
    }

    /**
     * The current value (the default until a source sets it).
     *
     * @return the current value (the default until a source sets it)
     */
    public T get() {
        return value;
    }

    /**
     * Where {@link #get()} came from.
     *
     * @return where {@link #get()} came from
     */
    public Source source() {
        return source;
    }

    /**
     * Sets the value from the program; it outranks every parsed source. Runs the option's
     * callback.
     *
     * @param newValue the new value
     */
    public void set(T newValue) {
        if (newValue != null) {
            Class<?> expected = list ? List.class : type;
            if (!expected.isInstance(newValue)) {
                throw new IllegalArgumentException("option " + name + " holds " + expected.getSimpleName() + ", not "
                        + newValue.getClass().getSimpleName());
            }
        }
        checkValue(newValue);
        assign(newValue, Source.PROGRAM);
    }

    /** Applies the {@linkplain Builder#check check}: a failing value is an IllegalArgumentException for the user. */
    @SuppressWarnings("unchecked")
    void checkValue(Object v) {
        if (check != null && v != null && !check.test((T) v)) {
            throw new IllegalArgumentException(ValueParser.format(v) + " is not " + requirement);
        }
    }

    /** Back to the default, as if nothing had set it (tests). */
    public void reset() {
        value = defaultValue;
        source = Source.DEFAULT;
    }

    /**
     * Takes {@code v} from {@code from} unless a higher-ranked source already set this option;
     * true if taken.
     */
    @SuppressWarnings("unchecked")
    boolean assign(Object v, Source from) {
        if (from.compareTo(source) < 0) {
            return false;
        }
        value = (T) v;
        source = from;
        if (callback != null) {
            callback.accept((T) v);
        }
        return true;
    }

    /** One item of a repeatable option, from one occurrence. */
    Object parseItem(String text) {
        return ValueParser.parse(type, type == String.class ? text : text.strip());
    }

    /** Text to this option's value (a list for a list option). */
    Object parse(String text) {
        Object v = list ? List.copyOf(ValueParser.parseList(type, text)) : ValueParser.parse(type, text);
        checkValue(v);
        return v;
    }

    @Override
    public String toString() {
        return "--" + name + "=" + ValueParser.format(value);
    }

    /**
     * Everything about an option beyond name, default and help, for
     * {@link OptionParser#option(String, Class)}: metavar, group, environment variable and
     * callback. {@link #define()} registers it.
     *
     * @param <T> the value type
     */
    public static final class Builder<T> {
        private final OptionParser parser;
        private final String name;
        private final Class<?> type;
        private final boolean list;
        private T defaultValue;
        private String help;
        private String metavar;
        private String group;
        private String envName;
        private boolean noEnv;
        private Consumer<? super T> callback;
        private Predicate<? super T> check;
        private String requirement;
        private boolean repeatable;

        Builder(OptionParser parser, String name, Class<?> type, boolean list) {
            this.parser = parser;
            this.name = Objects.requireNonNull(name, "name");
            this.type = type;
            this.list = list;
        }

        /**
         * Sets {@code defaultValue}.
         *
         * @param value the default value
         * @return this builder
         */
        public Builder<T> defaultValue(T value) {
            this.defaultValue = value;
            return this;
        }

        /**
         * Sets {@code help}.
         *
         * @param text the help
         * @return this builder
         */
        public Builder<T> help(String text) {
            this.help = text;
            return this;
        }

        /**
         * The placeholder {@code --help} shows for the value ({@code --port=PORT}).
         *
         * @param text the metavar
         * @return this builder
         */
        public Builder<T> metavar(String text) {
            this.metavar = text;
            return this;
        }

        /**
         * The section of {@code --help} this option appears in.
         *
         * @param name the group
         * @return this builder
         */
        public Builder<T> group(String name) {
            this.group = name;
            return this;
        }

        /**
         * The environment variable read when neither the command line nor the program set the
         * option, instead of the one the parser's {@link OptionParser#envPrefix prefix} gives
         * (e.g. {@code PORT}, which hosting platforms set).
         *
         * @param variable the env
         * @return this builder
         */
        public Builder<T> env(String variable) {
            this.envName = Objects.requireNonNull(variable, "variable");
            return this;
        }

        /**
         * No environment variable for this option, whatever the parser's prefix.
         *
         * @return this builder
         */
        public Builder<T> noEnv() {
            this.noEnv = true;
            return this;
        }

        /**
         * Runs with the new value whenever a source sets the option (Tornado's option callback).
         *
         * @param onSet the callback
         * @return this builder
         */
        public Builder<T> callback(Consumer<? super T> onSet) {
            this.callback = onSet;
            return this;
        }

        /**
         * A condition every value must meet; a value from any source that fails it is an error
         * saying {@code --port: 70000 is not REQUIREMENT}, e.g. {@code "a port number from 0 to 65535"}.
         *
         * @param condition the condition
         * @param requirement the requirement
         * @return this builder
         */
        public Builder<T> check(Predicate<? super T> condition, String requirement) {
            this.check = Objects.requireNonNull(condition, "condition");
            this.requirement = Objects.requireNonNull(requirement, "requirement");
            return this;
        }

        /**
         * For a list option: each occurrence on the command line adds one item, taken whole
         * (commas included), as curl's {@code -H}; the first occurrence in a parse replaces the
         * earlier list. Environment variables and configuration files still give comma-separated
         * lists.
         *
         * @return this builder
         * @throws IllegalStateException for an option that is not a list
         */
        public Builder<T> repeatable() {
            if (!list) {
                throw new IllegalStateException("only a list option can be repeatable: " + name);
            }
            this.repeatable = true;
            return this;
        }

        /**
         * Registers the option with the parser.
         *
         * @return the define
         * @throws IllegalArgumentException if the name is taken or invalid, or the default does not
         *     fit the type
         */
        public Option<T> define() {
            @SuppressWarnings("unchecked")
            T initial = list && defaultValue == null ? (T) List.of() : defaultValue; // a list is never null
            return parser.register(new Option<>(parser, OptionParser.normalize(name), type, list, initial, help,
                    metavar, group, envName, noEnv, callback, check, requirement, repeatable));
        }
    }
}
