package io.gale.options;

import java.nio.file.Path;
import java.util.List;

/**
 * The process-wide options (Tornado's {@code tornado.options} module functions over its global
 * {@code options}): define each option in the class that uses it, parse once in {@code main}.
 *
 * <pre>{@code
 * import static io.gale.options.Options.define;
 *
 * public final class Server {
 *     static final Option<Integer> PORT = define("port", 8888, "the port to listen on");
 *     static final Option<Boolean> DEBUG = define("debug", false, "restart on changes, show tracebacks");
 *
 *     public static void main(String[] args) {
 *         Options.parseCommandLine(args);        // --port=9000, --port 9000, --debug, --help
 *         app.listen(PORT.get());
 *     }
 * }
 * }</pre>
 *
 * <p>Every method delegates to {@link #options()}; see {@link OptionParser} for the syntax,
 * precedence (program, command line, environment, configuration file, default) and errors
 * (message + exit status 2).
 */
public final class Options {
    private static final OptionParser GLOBAL = new OptionParser();

    private Options() {
    }

    /**
     * The global parser.
     *
     * @return the global parser
     */
    public static OptionParser options() {
        return GLOBAL;
    }

    /**
     * See {@link OptionParser#define(String, Object, String)}.
     *
     * @param <T> the type of the values
     * @param name the name
     * @param defaultValue returned when there is none
     * @param help the help text ({@code --help} prints it)
     * @return the result (see {@link OptionParser#define(String, Object, String)})
     */
    public static <T> Option<T> define(String name, T defaultValue, String help) {
        return GLOBAL.define(name, defaultValue, help);
    }

    /**
     * See {@link OptionParser#define(String, Class, String)}.
     *
     * @param <T> the type of the values
     * @param name the name
     * @param type the type
     * @param help the help text ({@code --help} prints it)
     * @return the result (see {@link OptionParser#define(String, Class, String)})
     */
    public static <T> Option<T> define(String name, Class<T> type, String help) {
        return GLOBAL.define(name, type, help);
    }

    /**
     * See {@link OptionParser#defineList}.
     *
     * @param <E> the type of the elements
     * @param name the name
     * @param elementType the type of each element
     * @param defaultValue returned when there is none
     * @param help the help text ({@code --help} prints it)
     * @return the result (see {@link OptionParser#defineList})
     */
    public static <E> Option<List<E>> defineList(String name, Class<E> elementType, List<E> defaultValue, String help) {
        return GLOBAL.defineList(name, elementType, defaultValue, help);
    }

    /**
     * See {@link OptionParser#option(String, Class)}.
     *
     * @param <T> the type of the values
     * @param name the name
     * @param type the type
     * @return the result (see {@link OptionParser#option(String, Class)})
     */
    public static <T> Option.Builder<T> option(String name, Class<T> type) {
        return GLOBAL.option(name, type);
    }

    /**
     * See {@link OptionParser#defineFields}.
     *
     * @param type the type
     * @return the result (see {@link OptionParser#defineFields})
     */
    public static List<Option<?>> defineFields(Class<?> type) {
        return GLOBAL.defineFields(type);
    }

    /**
     * See {@link OptionParser#parseCommandLine}.
     *
     * @param args the arguments
     * @return the result (see {@link OptionParser#parseCommandLine})
     */
    public static List<String> parseCommandLine(String... args) {
        return GLOBAL.parseCommandLine(args);
    }

    /**
     * See {@link OptionParser#parseConfigFile}.
     *
     * @param path the path
     */
    public static void parseConfigFile(Path path) {
        GLOBAL.parseConfigFile(path);
    }

    /**
     * See {@link OptionParser#addParseCallback}.
     *
     * @param callback the callback
     */
    public static void addParseCallback(Runnable callback) {
        GLOBAL.addParseCallback(callback);
    }

    /** See {@link OptionParser#printHelp}. */
    public static void printHelp() {
        GLOBAL.printHelp(System.out);
    }

    /**
     * The value of the global option {@code name}; see {@link OptionParser#get}.
     *
     * @param name the name
     * @return the value of the global option {@code name}; see {@link OptionParser#get}
     */
    public static Object get(String name) {
        return GLOBAL.get(name);
    }
}
