package io.gale.options;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * A set of command-line options (Tornado's {@code tornado.options.OptionParser}): options are
 * defined where they are used, typed, with help text and groups, and filled from the command
 * line, a configuration file and environment variables. {@link Options} holds the process-wide
 * one; a program that wants its own (tests, a tool with subcommands) makes an instance.
 *
 * <pre>{@code
 * OptionParser options = new OptionParser("myapp");
 * Option<Integer> port = options.define("port", 8888, "the port to listen on");
 * Option<Duration> timeout = options.option("timeout", Duration.class)
 *         .defaultValue(Duration.ofSeconds(20)).help("request timeout").group("client").define();
 * List<String> rest = options.parseCommandLine(args);   // --port=9000 or --port 9000
 * }</pre>
 *
 * <p><b>Command line.</b> {@code --name=value} and {@code --name value} (one leading dash is
 * accepted too); a boolean option alone ({@code --debug}) means true, {@code --debug=false}
 * turns it off. {@code _} and {@code -} are the same in names ({@code --print_headers} is
 * {@code --print-headers}). Arguments that are not options are returned in order, wherever they
 * stand; {@code --} ends the options. A repeated option keeps its last value. {@code --help}
 * (and {@code -h}) prints the options grouped, with their defaults and environment variables.
 *
 * <p><b>Sources and precedence.</b> {@link Option#set} in the program, then the command line,
 * then environment variables ({@link #envPrefix}), then the configuration file, then the
 * default; see {@link Option}. Environment variables are read by every parse.
 *
 * <p><b>Errors.</b> An unknown option (with a suggestion for a near miss), a value of the wrong
 * type, a missing value, an unreadable or malformed configuration file: {@link #parse} and
 * {@link #readConfigFile} throw {@link OptionError} and change nothing; the command-line entry
 * points {@link #parseCommandLine} and {@link #parseConfigFile} print the one-line message and a
 * hint to standard error and exit with status 2 through the {@linkplain #exitHandler exit
 * handler} ({@code System::exit} unless replaced, e.g. by a test).
 *
 * <p><b>Threading.</b> Defining and parsing are synchronized on the parser; options are usually
 * defined in static initialisers and parsed once in {@code main}. Values are read from any
 * thread.
 */
public class OptionParser {
    private final Map<String, Option<?>> options = new LinkedHashMap<>();
    private final List<Runnable> parseCallbacks = new ArrayList<>();
    private String programName;
    private String usageArguments = "";
    private String envPrefix;
    private Map<String, String> environment;
    private PrintStream out;
    private PrintStream err;
    private IntConsumer exitHandler;

    /**
     * A parser whose help and messages name the program after the JVM's main class (its simple
     * name) or jar ({@code java -jar app.jar}), else {@code java}.
     */
    public OptionParser() {
        this(defaultProgramName());
    }

    private static String defaultProgramName() {
        String command = System.getProperty("sun.java.command", "").strip();
        int space = command.indexOf(' ');
        String main = space < 0 ? command : command.substring(0, space);
        if (main.isEmpty()) {
            return "java";
        }
        if (main.endsWith(".jar")) {
            return "java -jar " + main;
        }
        return main.substring(main.lastIndexOf('.') + 1);
    }

    /**
     * A parser whose help and messages name the program {@code programName}.
     *
     * @param programName the program name
     */
    public OptionParser(String programName) {
        this.programName = Objects.requireNonNull(programName, "programName");
    }

    // ------------------------------------------------------------------ settings

    /**
     * The program name in help and messages ({@code Usage: NAME [OPTIONS]}).
     *
     * @param name the name
     * @return this option parser
     */
    public synchronized OptionParser programName(String name) {
        this.programName = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * What follows {@code [OPTIONS]} in the usage line, e.g. {@code "URL..."}.
     *
     * @param text the text
     * @return this option parser
     */
    public synchronized OptionParser usageArguments(String text) {
        this.usageArguments = Objects.requireNonNull(text, "text");
        return this;
    }

    /**
     * Reads each option's environment variable {@code PREFIX + NAME} (upper case, {@code _} for
     * {@code -}; prefix {@code "GALE_"} gives {@code GALE_PORT}) when neither the program nor the
     * command line set it. Null (the default) reads none except those given with
     * {@link Option.Builder#env}.
     *
     * @param prefix the prefix
     * @return this option parser
     */
    public synchronized OptionParser envPrefix(String prefix) {
        this.envPrefix = prefix;
        return this;
    }

    /**
     * The environment to read instead of {@link System#getenv()} (tests).
     *
     * @param env the env
     * @return this option parser
     */
    public synchronized OptionParser environment(Map<String, String> env) {
        this.environment = Map.copyOf(env);
        return this;
    }

    /**
     * Where {@code --help} goes (default {@link System#out}).
     *
     * @param stream the stream
     * @return this option parser
     */
    public synchronized OptionParser out(PrintStream stream) {
        this.out = stream;
        return this;
    }

    /**
     * Where error messages go (default {@link System#err}).
     *
     * @param stream the stream
     * @return this option parser
     */
    public synchronized OptionParser err(PrintStream stream) {
        this.err = stream;
        return this;
    }

    /**
     * Called with the exit status (2 after a usage error, 0 after {@code --help}) instead of
     * {@link System#exit}. If it returns, the parse method throws the {@link OptionError}.
     *
     * @param handler the request handler
     * @return this option parser
     */
    public synchronized OptionParser exitHandler(IntConsumer handler) {
        this.exitHandler = handler;
        return this;
    }

    // ------------------------------------------------------------------ definitions

    /**
     * Defines an option whose type is the default's ({@code Integer}, {@code Long},
     * {@code Double}, {@code Boolean}, {@code String}, {@code Duration}, {@code Path} or an enum).
     *
     * @param <T> the type of the values
     * @param name the name
     * @param defaultValue returned when there is none
     * @param help the help text ({@code --help} prints it)
     * @return the new option
     * @throws IllegalArgumentException if the name is taken, or the type is not supported
     */
    @SuppressWarnings("unchecked")
    public <T> Option<T> define(String name, T defaultValue, String help) {
        Objects.requireNonNull(defaultValue, "defaultValue (use define(name, Type.class, help) for no default)");
        if (defaultValue instanceof List) {
            throw new IllegalArgumentException("option " + name + ": use defineList for a list");
        }
        Class<?> type = defaultValue instanceof Enum<?> e ? e.getDeclaringClass()
                : defaultValue instanceof Path ? Path.class : defaultValue.getClass(); // UnixPath → Path
        return new Option.Builder<T>(this, name, supported(name, type), false).defaultValue(defaultValue).help(help).define();
    }

    /**
     * Defines an option of {@code type} without a default ({@link Option#get()} is null until set).
     *
     * @param <T> the type of the values
     * @param name the name
     * @param type the type
     * @param help the help text ({@code --help} prints it)
     * @return the new option
     */
    public <T> Option<T> define(String name, Class<T> type, String help) {
        return option(name, type).help(help).define();
    }

    /**
     * Defines a list option (Tornado's {@code multiple=True}): comma-separated items of
     * {@code elementType}, integers also as ranges {@code 8000:8003}.
     *
     * @param <E> the type of the elements
     * @param name the name
     * @param elementType the type of each element
     * @param defaultValue returned when there is none
     * @param help the help text ({@code --help} prints it)
     * @return the new option
     */
    public <E> Option<List<E>> defineList(String name, Class<E> elementType, List<E> defaultValue, String help) {
        return listOption(name, elementType).defaultValue(defaultValue == null ? null : List.copyOf(defaultValue))
                .help(help).define();
    }

    /**
     * A builder for an option with more settings (group, metavar, environment, callback).
     *
     * @param <T> the type of the values
     * @param name the name
     * @param type the type
     * @return a builder for an option with more settings (group, metavar, environment, callback)
     */
    public <T> Option.Builder<T> option(String name, Class<T> type) {
        return new Option.Builder<>(this, name, supported(name, type), false);
    }

    /**
     * A builder for a list option of {@code elementType}.
     *
     * @param <E> the type of the elements
     * @param name the name
     * @param elementType the type of each element
     * @return a builder for a list option of {@code elementType}
     */
    public <E> Option.Builder<List<E>> listOption(String name, Class<E> elementType) {
        return new Option.Builder<>(this, name, supported(name, elementType), true);
    }

    private static Class<?> supported(String name, Class<?> type) {
        Class<?> t = ValueParser.boxed(Objects.requireNonNull(type, "type"));
        if (!ValueParser.supports(t)) {
            throw new IllegalArgumentException("option " + name + ": unsupported type " + type.getName());
        }
        return t;
    }

    synchronized <T> Option<T> register(Option<T> option) {
        String name = option.name();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9.-]*") || name.equals("help")) {
            throw new IllegalArgumentException("invalid option name '" + name + "'");
        }
        if (options.containsKey(name)) {
            throw new IllegalArgumentException("option '" + name + "' is already defined");
        }
        Object d = option.defaultValue();
        if (d != null && !(option.isList() ? d instanceof List : option.type().isInstance(d))) {
            throw new IllegalArgumentException("option " + name + ": default " + d + " is not a " + option.type().getSimpleName());
        }
        option.checkValue(d);
        options.put(name, option);
        return option;
    }

    /**
     * Defines an option for every static field of {@code type} annotated {@link Define}, with the
     * field's current value as default, and keeps the field up to date: each time a source sets
     * the option, the field gets the new value.
     *
     * @param type the type
     * @return the options defined, in field order
     */
    public List<Option<?>> defineFields(Class<?> type) {
        List<Option<?>> defined = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            Define d = f.getAnnotation(Define.class);
            if (d == null) {
                continue;
            }
            if (!Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
                throw new IllegalArgumentException("@Define field " + f + " must be static and not final");
            }
            f.setAccessible(true);
            defined.add(defineField(f, d));
        }
        return defined;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Option<?> defineField(Field f, Define d) {
        String name = d.name().isEmpty() ? kebab(f.getName()) : d.name();
        Object initial;
        try {
            initial = f.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot read " + f, e);
        }
        Option.Builder b;
        if (List.class.isAssignableFrom(f.getType())) {
            if (!(f.getGenericType() instanceof ParameterizedType p) || !(p.getActualTypeArguments()[0] instanceof Class<?> e)) {
                throw new IllegalArgumentException("@Define list field " + f + " needs an element type (List<Integer>)");
            }
            b = listOption(name, e);
        } else {
            b = option(name, f.getType());
        }
        b.defaultValue(initial).help(d.help());
        if (!d.group().isEmpty()) {
            b.group(d.group());
        }
        if (!d.metavar().isEmpty()) {
            b.metavar(d.metavar());
        }
        if (!d.env().isEmpty()) {
            b.env(d.env());
        }
        b.callback(v -> {
            try {
                f.set(null, v);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot set " + f, e);
            }
        });
        return b.define();
    }

    private static String kebab(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                sb.append('-');
            }
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString();
    }

    /**
     * Runs {@code callback} after every successful final parse (Tornado's {@code add_parse_callback}).
     *
     * @param callback the callback
     */
    public synchronized void addParseCallback(Runnable callback) {
        parseCallbacks.add(Objects.requireNonNull(callback, "callback"));
    }

    // ------------------------------------------------------------------ lookup

    /**
     * The option named {@code name} ({@code _} or {@code -}), or null.
     *
     * @param name the name
     * @return the option named {@code name} ({@code _} or {@code -}), or null
     */
    public synchronized Option<?> option(String name) {
        return options.get(normalize(name));
    }

    /**
     * The value of option {@code name}.
     *
     * @param name the name
     * @return the value of option {@code name}
     * @throws IllegalArgumentException if no such option is defined
     */
    public Object get(String name) {
        Option<?> o = option(name);
        if (o == null) {
            throw new IllegalArgumentException("no option '" + name + "' is defined");
        }
        return o.get();
    }

    /**
     * Every option, in definition order.
     *
     * @return every option, in definition order
     */
    public synchronized List<Option<?>> options() {
        return List.copyOf(options.values());
    }

    /**
     * Name → value of every option (Tornado's {@code as_dict}), in definition order.
     *
     * @return the as map
     */
    public synchronized Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        options.forEach((k, v) -> m.put(k, v.get()));
        return Collections.unmodifiableMap(m);
    }

    /**
     * Name → value of the options in {@code group} (Tornado's {@code group_dict}).
     *
     * @param group the option group ({@code --help} lists options by group)
     * @return the map
     */
    public synchronized Map<String, Object> groupMap(String group) {
        Map<String, Object> m = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (v.group().equals(group)) {
                m.put(k, v.get());
            }
        });
        return Collections.unmodifiableMap(m);
    }

    // ------------------------------------------------------------------ parsing

    /**
     * Parses {@code args} as {@link #parse} does; on an error prints it with a hint to standard
     * error and exits with status 2, on {@code --help} prints the help and exits with status 0
     * (both through the {@linkplain #exitHandler exit handler}).
     *
     * @param args the arguments
     * @return the arguments that are not options
     */
    public List<String> parseCommandLine(String... args) {
        try {
            return parse(args);
        } catch (OptionError e) {
            throw report(e);
        }
    }

    /**
     * Reads environment variables, then applies {@code args}, then (when {@code final}, as
     * Tornado's {@code final=True}) runs the parse callbacks. Nothing changes when it throws.
     *
     * @param args the arguments
     * @param runCallbacks the run callbacks
     * @return the arguments that are not options, in order
     * @throws OptionError on a usage error, or with {@link OptionError#exitCode()} 0 on
     *     {@code --help}
     */
    public synchronized List<String> parse(String[] args, boolean runCallbacks) {
        List<String> positional = new ArrayList<>();
        List<Map.Entry<Option<?>, Object>> assignments = new ArrayList<>();
        Map<Option<?>, List<Object>> repeated = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                positional.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (!isOption(arg)) {
                positional.add(arg);
                continue;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int eq = body.indexOf('=');
            String name = normalize(eq < 0 ? body : body.substring(0, eq));
            if (name.equals("help") || name.equals("h") && !options.containsKey("h")) {
                throw new OptionError("help requested", 0, null);
            }
            Option<?> option = options.get(name);
            if (option == null) {
                throw new OptionError("unrecognized option '--" + name + "'" + suggestion(name));
            }
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (option.type() == Boolean.class && !option.isList()) {
                value = "true";
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new OptionError("option '--" + name + "' needs a value (--" + name + "=" + option.metavar() + ")");
            }
            if (option.isRepeatable()) {
                Object item = parseItem(option, value, "--" + name);
                repeated.computeIfAbsent(option, o -> {
                    List<Object> items = new ArrayList<>();
                    assignments.add(Map.entry(o, items));
                    return items;
                }).add(item);
            } else {
                assignments.add(Map.entry(option, parseValue(option, value, "--" + name)));
            }
        }
        for (Map.Entry<Option<?>, List<Object>> r : repeated.entrySet()) {
            try {
                r.getKey().checkValue(r.getValue());
            } catch (IllegalArgumentException e) {
                throw new OptionError("--" + r.getKey().name() + ": " + e.getMessage());
            }
        }
        Map<Option<?>, Object> fromEnv = readEnvironment();
        fromEnv.forEach((o, v) -> o.assign(v, Option.Source.ENVIRONMENT));
        for (Map.Entry<Option<?>, Object> a : assignments) {
            Object v = a.getValue();
            a.getKey().assign(repeated.containsKey(a.getKey()) ? List.copyOf((List<?>) v) : v, Option.Source.COMMAND_LINE);
        }
        if (runCallbacks) {
            runParseCallbacks();
        }
        return positional;
    }

    /**
     * {@link #parse(String[], boolean)} running the parse callbacks.
     *
     * @param args the arguments
     * @return the result (see {@link #parse(String[], boolean)})
     */
    public List<String> parse(String... args) {
        return parse(args, true);
    }

    /**
     * Reads the configuration file at {@code path} as {@link #readConfigFile} does; on an error
     * prints it to standard error and exits with status 2 through the exit handler.
     *
     * @param path the path
     */
    public void parseConfigFile(Path path) {
        try {
            readConfigFile(path);
        } catch (OptionError e) {
            throw report(e);
        }
    }

    /**
     * Applies a configuration file: {@code name = value} lines (a {@code .properties} file is
     * read as Java properties instead), see {@link ConfigFile}. Values rank below the command
     * line and environment variables. Unlike Tornado, whose configuration files are Python
     * modules that may hold other variables, an unknown name is an error here. Environment
     * variables are read too, then the parse callbacks run. Nothing changes when it throws.
     *
     * @param path the path
     * @throws OptionError if the file cannot be read, a line is malformed, a name unknown or a
     *     value of the wrong type (the message names the file and line)
     */
    public synchronized void readConfigFile(Path path) {
        List<ConfigFile.Entry> entries = ConfigFile.read(path);
        List<Map.Entry<Option<?>, Object>> assignments = new ArrayList<>();
        for (ConfigFile.Entry e : entries) {
            String name = normalize(e.name());
            Option<?> option = options.get(name);
            if (option == null) {
                throw new OptionError(e.where() + ": unknown option '" + name + "'" + suggestion(name));
            }
            String value = option.isList() ? ConfigFile.unbracket(e.value()) : e.value();
            assignments.add(Map.entry(option, parseValue(option, value, e.where() + ": " + name)));
        }
        Map<Option<?>, Object> fromEnv = readEnvironment();
        fromEnv.forEach((o, v) -> o.assign(v, Option.Source.ENVIRONMENT));
        for (Map.Entry<Option<?>, Object> a : assignments) {
            a.getKey().assign(a.getValue(), Option.Source.CONFIG_FILE);
        }
        runParseCallbacks();
    }

    /** Applies the environment variables of all options (every parse does it too). */
    public synchronized void parseEnvironment() {
        try {
            readEnvironment().forEach((o, v) -> o.assign(v, Option.Source.ENVIRONMENT));
        } catch (OptionError e) {
            throw report(e);
        }
    }

    private Map<Option<?>, Object> readEnvironment() {
        Map<String, String> env = environment != null ? environment : System.getenv();
        Map<Option<?>, Object> values = new LinkedHashMap<>();
        for (Option<?> o : options.values()) {
            String var = o.envName();
            String text = var == null ? null : env.get(var);
            if (text != null) {
                values.put(o, parseValue(o, text, "environment variable " + var));
            }
        }
        return values;
    }

    private static Object parseItem(Option<?> option, String text, String where) {
        try {
            return option.parseItem(text);
        } catch (IllegalArgumentException e) {
            throw new OptionError(where + ": " + e.getMessage());
        }
    }

    private static Object parseValue(Option<?> option, String text, String where) {
        try {
            return option.parse(text);
        } catch (IllegalArgumentException e) {
            throw new OptionError(where + ": " + e.getMessage());
        }
    }

    private void runParseCallbacks() {
        for (Runnable r : List.copyOf(parseCallbacks)) {
            r.run();
        }
    }

    /**
     * Reports a usage error the parser cannot see (a missing or extra argument) as it reports its
     * own: the message and a hint on standard error, then exit status 2 through the exit handler.
     *
     * @param message the detail message
     * @return the error, for the caller to throw if the exit handler returned
     *     ({@code throw parser.usageError("expected a URL")})
     */
    public OptionError usageError(String message) {
        return report(new OptionError(message));
    }

    /** Prints the error (or the help), calls the exit handler, and gives the error back to throw. */
    private OptionError report(OptionError e) {
        IntConsumer exit;
        synchronized (this) {
            if (e.exitCode() == 0) {
                printHelp(out());
            } else {
                PrintStream w = err();
                w.println(programName + ": " + e.getMessage());
                w.println("Try '" + programName + " --help' for the options.");
                w.flush();
            }
            exit = exitHandler != null ? exitHandler : System::exit;
        }
        exit.accept(e.exitCode());
        return e;
    }

    private PrintStream out() {
        return out != null ? out : System.out;
    }

    private PrintStream err() {
        return err != null ? err : System.err;
    }

    private static boolean isOption(String arg) {
        if (arg.length() < 2 || arg.charAt(0) != '-') {
            return false;
        }
        char c = arg.charAt(1);
        return !(Character.isDigit(c) || c == '.'); // -5, -.5: a negative number, not an option
    }

    /** {@code " (did you mean --port?)"} for a near miss, else empty. */
    private String suggestion(String name) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : options.keySet()) {
            int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance || candidate.startsWith(name) && best == null) {
                best = candidate;
                bestDistance = Math.min(d, bestDistance);
            }
        }
        return best == null ? "" : " (did you mean --" + best + "?)";
    }

    /** Levenshtein distance, for suggestions. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** {@code print_headers} → {@code print-headers}. */
    static String normalize(String name) {
        return name.replace('_', '-');
    }

    synchronized String envNameFor(String name) {
        return envPrefix == null ? null : envPrefix + normalize(name).replace('-', '_').replace('.', '_')
                .toUpperCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ help

    /**
     * Prints the usage line and every option, grouped (the parser's own options first, then each
     * group by name), each with its help, default and environment variable.
     *
     * @param stream the stream
     */
    public synchronized void printHelp(PrintStream stream) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(programName).append(" [OPTIONS]");
        if (!usageArguments.isEmpty()) {
            sb.append(' ').append(usageArguments);
        }
        sb.append("\n\nOptions:\n\n");
        line(sb, "--help", "show this help information");
        Map<String, List<Option<?>>> groups = new TreeMap<>();
        for (Option<?> o : options.values()) {
            groups.computeIfAbsent(o.group(), g -> new ArrayList<>()).add(o);
        }
        for (Map.Entry<String, List<Option<?>>> g : groups.entrySet()) {
            if (!g.getKey().isEmpty()) {
                sb.append('\n').append(g.getKey()).append(" options:\n\n");
            }
            List<Option<?>> sorted = new ArrayList<>(g.getValue());
            sorted.sort((a, b) -> a.name().compareTo(b.name()));
            for (Option<?> o : sorted) {
                String prefix = "--" + o.name() + (o.metavar() != null ? "=" + o.metavar() : "");
                StringBuilder help = new StringBuilder(o.help());
                String extra = extras(o);
                if (!extra.isEmpty()) {
                    help.append(help.length() > 0 ? " " : "").append('(').append(extra).append(')');
                }
                line(sb, prefix, help.toString());
            }
        }
        stream.print(sb);
        stream.flush();
    }

    private static String extras(Option<?> o) {
        List<String> parts = new ArrayList<>();
        Object d = o.defaultValue();
        if (d != null && !(d instanceof List<?> l && l.isEmpty()) && !(d instanceof String s && s.isEmpty())) {
            parts.add("default " + ValueParser.format(d));
        }
        if (o.isRepeatable()) {
            parts.add("repeatable");
        } else if (o.isList()) {
            parts.add("comma-separated");
        }
        if (o.envName() != null) {
            parts.add("env " + o.envName());
        }
        return String.join("; ", parts);
    }

    private static final int NAME_WIDTH = 30;
    private static final int WIDTH = 79;

    /** One option: {@code "  --name=META   help"}, the help wrapped at 79 columns. */
    private static void line(StringBuilder sb, String prefix, String help) {
        int indent = NAME_WIDTH + 3;
        sb.append("  ").append(prefix);
        int col = 2 + prefix.length();
        if (col >= indent - 1) {
            sb.append('\n');
            col = 0;
        }
        boolean first = true;
        for (String word : help.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (first) {
                sb.append(" ".repeat(indent - col));
                col = indent;
            } else if (col + 1 + word.length() > WIDTH) {
                sb.append('\n').append(" ".repeat(indent));
                col = indent;
            } else {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
            first = false;
        }
        sb.append('\n');
    }
}
