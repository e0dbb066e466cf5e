package io.gale.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OptionParserTest {
    enum Mode { FAST, SLOW_AND_STEADY }

    /** Thrown by the test exit handler, so a test sees the status and the program stops. */
    static final class Exit extends RuntimeException {
        final int code;

        Exit(int code) {
            super("exit " + code);
            this.code = code;
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private OptionParser parser;

    @BeforeEach
    void setUp() {
        parser = new OptionParser("demo").environment(Map.of())
                .out(new PrintStream(out, true, StandardCharsets.UTF_8))
                .err(new PrintStream(err, true, StandardCharsets.UTF_8))
                .exitHandler(code -> {
                    throw new Exit(code);
                });
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** parseCommandLine, failing the test with the message on a usage error. */
    private List<String> parse(String... args) {
        try {
            return parser.parseCommandLine(args);
        } catch (Exit e) {
            throw new AssertionError(err(), e);
        }
    }

    private int exitCode(String... args) {
        try {
            parser.parseCommandLine(args);
        } catch (Exit e) {
            return e.code;
        }
        throw new AssertionError("no exit for " + List.of(args));
    }

    @Test
    void typedValuesBothSyntaxesAndPositionals() {
        Option<Integer> port = parser.define("port", 8888, "the port");
        Option<Long> big = parser.define("big", 1L, "a long");
        Option<Double> ratio = parser.define("ratio", 0.5, "a ratio");
        Option<String> name = parser.define("name", String.class, "a name");
        Option<Duration> timeout = parser.define("timeout", Duration.ofSeconds(20), "a timeout");
        Option<Path> dir = parser.define("dir", Path.of("."), "a dir");
        Option<Mode> mode = parser.define("mode", Mode.FAST, "a mode");
        Option<List<Integer>> ports = parser.defineList("ports", Integer.class, List.of(1), "ports");

        List<String> rest = parse("--port=9000", "first", "--big", "-12", "--ratio", "1e3",
                "--name=a=b", "--timeout", "1h 30m", "--dir=/tmp/x", "--mode=slow-and-steady", "--ports=80,8000:8002",
                "second", "--", "--port=1");

        assertThat(port.get()).isEqualTo(9000);
        assertThat(port.source()).isEqualTo(Option.Source.COMMAND_LINE);
        assertThat(big.get()).isEqualTo(-12L);
        assertThat(ratio.get()).isEqualTo(1000.0);
        assertThat(name.get()).isEqualTo("a=b");
        assertThat(timeout.get()).isEqualTo(Duration.ofMinutes(90));
        assertThat(dir.get()).isEqualTo(Path.of("/tmp/x"));
        assertThat(mode.get()).isEqualTo(Mode.SLOW_AND_STEADY);
        assertThat(ports.get()).containsExactly(80, 8000, 8001, 8002);
        assertThat(rest).containsExactly("first", "second", "--port=1");
    }

    @Test
    void booleansUnderscoresAndSingleDash() {
        Option<Boolean> headers = parser.define("print-headers", false, "print headers");
        Option<Boolean> body = parser.define("print_body", true, "print the body");
        List<String> rest = parser.parseCommandLine("--print_headers", "-print-body=no", "x");
        assertThat(headers.get()).isTrue();
        assertThat(body.get()).isFalse();
        assertThat(body.name()).isEqualTo("print-body");
        assertThat(rest).containsExactly("x"); // a boolean alone does not take the next argument
        assertThat(parser.get("print_headers")).isEqualTo(true);
    }

    @Test
    void repeatableListOption() {
        Option<List<String>> headers = parser.listOption("header", String.class).repeatable()
                .defaultValue(List.of("X-Default: 1")).define();
        parse("--header", "Accept: a, b", "--header=X-Two: 2");
        assertThat(headers.get()).containsExactly("Accept: a, b", "X-Two: 2");
        parse("--header=Only: 1");
        assertThat(headers.get()).containsExactly("Only: 1");
        assertThatThrownBy(() -> parser.option("single", String.class).repeatable()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void durationSyntax() {
        assertThat(ValueParser.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ValueParser.duration("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ValueParser.duration("2 days, 3 hours")).isEqualTo(Duration.ofHours(51));
        assertThat(ValueParser.duration("1w")).isEqualTo(Duration.ofDays(7));
        assertThat(ValueParser.duration("PT0.25S")).isEqualTo(Duration.ofMillis(250));
        assertThat(ValueParser.duration("10us")).isEqualTo(Duration.ofNanos(10_000));
        for (String bad : List.of("", "abc", "5 parsecs", "1h x", "P", "PTxS", "1e400h")) {
            assertThatThrownBy(() -> ValueParser.duration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * Found by OptionsFuzzTest#values and #commandLine (seeds list-leading-empty-items): lists
     * whose first items are empty were printed, and read from a config file's [...] form, without
     * their leading commas.
     */
    @Test
    void listsWithLeadingEmptyItemsPrintAndReadBackWhole() {
        List<Object> names = ValueParser.parseList(String.class, ",,a");
        assertThat(names).containsExactly("", "", "a");
        assertThat(ValueParser.format(names)).isEqualTo(",,a");
        assertThat(ValueParser.parseList(String.class, ValueParser.format(names))).isEqualTo(names);
        assertThat(ConfigFile.unbracket("[\"\", \"\", \"a\"]")).isEqualTo(",,a");
        assertThat(ConfigFile.unbracket("[a, , b]")).as("blank items are left out").isEqualTo("a,b");
    }

    /** Found by OptionsFuzzTest#values (seed iso-duration-beyond-long-nanos): printing it threw ArithmeticException. */
    @Test
    void durationsBeyondALongOfNanosecondsPrint() {
        Duration d = (Duration) ValueParser.parse(Duration.class, "P115555D");
        assertThat(ValueParser.format(d)).isEqualTo("PT2773320H");
        assertThat(ValueParser.parse(Duration.class, ValueParser.format(d))).isEqualTo(d);
        Duration max = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        assertThat(ValueParser.parse(Duration.class, ValueParser.format(max))).isEqualTo(max);
    }

    @Test
    void hugeAndTinyExponentsAreJudgedBeforeAnyArithmetic() {
        // Found by OptionsFuzzTest#commandLine (seed duration-exponent): "1e9999999" took 10 s,
        // the arithmetic on it computing 10^9999999; these would not finish within the timeout.
        for (String bad : List.of("1e999999999", "1e999999999s, 1s", "-1e999999999ms", "10e2147483647", "1e21us")) {
            assertThatThrownBy(() -> ValueParser.duration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ValueParser.duration("1e-999999999s")).isEqualTo(Duration.ZERO);
        assertThat(ValueParser.duration("1s 1e-999999999w")).isEqualTo(Duration.ofSeconds(1));
        assertThat(ValueParser.duration("1e3ms")).isEqualTo(Duration.ofSeconds(1));
        assertThat(ValueParser.duration("0.5e-3ms")).isEqualTo(Duration.ofNanos(500));
    }

    @Test
    void unknownOptionExitsTwoWithSuggestion() {
        parser.define("port", 8888, "the port");
        assertThat(exitCode("--prot=1")).isEqualTo(2);
        assertThat(err()).isEqualTo("demo: unrecognized option '--prot' (did you mean --port?)\n"
                + "Try 'demo --help' for the options.\n");
    }

    @Test
    void malformedValuesExitTwoNamingTheOption() {
        Option<Integer> port = parser.define("port", 8888, "the port");
        parser.define("debug", false, "debug");
        parser.define("mode", Mode.FAST, "a mode");
        parser.define("timeout", Duration.ofSeconds(1), "a timeout");
        assertThat(exitCode("--port=eighty")).isEqualTo(2);
        assertThat(err()).startsWith("demo: --port: 'eighty' is not an integer\n");
        err.reset();
        assertThat(exitCode("--port")).isEqualTo(2);
        assertThat(err()).startsWith("demo: option '--port' needs a value (--port=INT)\n");
        err.reset();
        assertThat(exitCode("--port", "--debug")).isEqualTo(2);
        assertThat(err()).startsWith("demo: option '--port' needs a value");
        err.reset();
        assertThat(exitCode("--debug=maybe")).isEqualTo(2);
        assertThat(err()).contains("'maybe' is not a boolean");
        err.reset();
        assertThat(exitCode("--mode=medium")).isEqualTo(2);
        assertThat(err()).contains("'medium' is not one of fast, slow-and-steady");
        err.reset();
        assertThat(exitCode("--timeout=soon")).isEqualTo(2);
        assertThat(err()).contains("--timeout: 'soon' is not a duration");
        err.reset();
        assertThat(exitCode("--port=99999999999")).isEqualTo(2);
        assertThat(port.get()).isEqualTo(8888);
    }

    @Test
    void usageErrorOfTheProgram() {
        assertThatThrownBy(() -> {
            throw parser.usageError("expected a URL");
        }).isInstanceOf(Exit.class).satisfies(e -> assertThat(((Exit) e).code).isEqualTo(2));
        assertThat(err()).isEqualTo("demo: expected a URL\nTry 'demo --help' for the options.\n");
    }

    @Test
    void checkedValues() {
        Option<Integer> port = parser.option("port", Integer.class).defaultValue(8888)
                .check(p -> p >= 0 && p <= 65535, "a port number from 0 to 65535").define();
        assertThat(exitCode("--port=70000")).isEqualTo(2);
        assertThat(err()).startsWith("demo: --port: 70000 is not a port number from 0 to 65535\n");
        assertThatThrownBy(() -> port.set(-1)).hasMessage("-1 is not a port number from 0 to 65535");
        assertThatThrownBy(() -> parser.option("p2", Integer.class).defaultValue(-1).check(p -> p >= 0, "positive")
                .define()).hasMessage("-1 is not positive");
        assertThat(port.get()).isEqualTo(8888);
    }

    @Test
    void failedParseChangesNothing() {
        Option<Integer> port = parser.define("port", 8888, "the port");
        Option<Boolean> debug = parser.define("debug", false, "debug");
        assertThatThrownBy(() -> parser.parse("--debug", "--port=x")).isInstanceOf(OptionError.class)
                .satisfies(e -> assertThat(((OptionError) e).exitCode()).isEqualTo(2));
        assertThat(debug.get()).isFalse();
        assertThat(port.get()).isEqualTo(8888);
    }

    @Test
    void exitHandlerThatReturnsStillStopsTheParse() {
        List<Integer> codes = new ArrayList<>();
        parser.exitHandler(codes::add);
        parser.define("port", 8888, "the port");
        assertThatThrownBy(() -> parser.parseCommandLine("--nope")).isInstanceOf(OptionError.class);
        assertThatThrownBy(() -> parser.parseCommandLine("--help")).isInstanceOf(OptionError.class)
                .satisfies(e -> assertThat(((OptionError) e).exitCode()).isZero());
        assertThat(codes).containsExactly(2, 0);
    }

    @Test
    void helpIsGroupedWithDefaultsAndEnvironment() {
        parser.envPrefix("GALE_").usageArguments("URL...");
        parser.define("port", 8888, "the port to listen on");
        parser.option("timeout", Duration.class).defaultValue(Duration.ofSeconds(20)).help("request timeout")
                .group("client").define();
        parser.option("proxy-host", String.class).help("proxy").group("client").metavar("HOST").noEnv().define();
        parser.define("debug", false, "debug mode");
        parser.defineList("tags", String.class, List.of(), "tags");
        assertThat(exitCode("-h")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                Usage: demo [OPTIONS] URL...

                Options:

                  --help                         show this help information
                  --debug                        debug mode (default false; env GALE_DEBUG)
                  --port=INT                     the port to listen on (default 8888; env
                                                 GALE_PORT)
                  --tags=VALUE                   tags (comma-separated; env GALE_TAGS)

                client options:

                  --proxy-host=HOST              proxy
                  --timeout=DURATION             request timeout (default 20s; env
                                                 GALE_TIMEOUT)
                """);
    }

    @Test
    void precedenceProgramCommandLineEnvironmentConfigDefault(@TempDir Path dir) throws Exception {
        parser.envPrefix("APP_").environment(Map.of("APP_PORT", "7000", "APP_HOST", "envhost", "PORT", "5"));
        Option<Integer> port = parser.define("port", 8888, "port");
        Option<String> host = parser.define("host", "localhost", "host");
        Option<String> name = parser.define("name", "default", "name");
        Option<Integer> other = parser.option("other", Integer.class).env("PORT").define();
        Option<Integer> untouched = parser.define("untouched", 1, "untouched");
        Path config = dir.resolve("app.conf");
        Files.writeString(config, "port = 6000\nname = 'from file'\nhost=filehost\n");

        parser.parseCommandLine("--port=9000");
        parser.parseConfigFile(config); // after the command line, yet below it

        assertThat(port.get()).isEqualTo(9000);
        assertThat(host.get()).isEqualTo("envhost");
        assertThat(host.source()).isEqualTo(Option.Source.ENVIRONMENT);
        assertThat(name.get()).isEqualTo("from file");
        assertThat(name.source()).isEqualTo(Option.Source.CONFIG_FILE);
        assertThat(other.get()).isEqualTo(5);
        assertThat(untouched.source()).isEqualTo(Option.Source.DEFAULT);
        port.set(1);
        parser.parseCommandLine("--port=2");
        assertThat(port.get()).isEqualTo(1);
        assertThat(port.source()).isEqualTo(Option.Source.PROGRAM);
    }

    @Test
    void malformedEnvironmentVariableIsAUsageError() {
        parser.envPrefix("APP_").environment(Map.of("APP_PORT", "x"));
        parser.define("port", 8888, "port");
        assertThat(exitCode()).isEqualTo(2);
        assertThat(err()).startsWith("demo: environment variable APP_PORT: 'x' is not an integer\n");
    }

    @Test
    void configFileTornadoStyle(@TempDir Path dir) throws Exception {
        Option<Boolean> debug = parser.define("debug", false, "debug");
        Option<List<Integer>> ports = parser.defineList("ports", Integer.class, List.of(), "ports");
        Option<String> color = parser.define("color", "red", "color");
        Path config = dir.resolve("app.conf");
        Files.writeString(config, "\uFEFF# comment\n\ndebug = True\nports = [8000, \"8001\"]\ncolor = #ff0000\n");
        parser.parseConfigFile(config);
        assertThat(debug.get()).isTrue();
        assertThat(ports.get()).containsExactly(8000, 8001);
        assertThat(color.get()).isEqualTo("#ff0000");
    }

    @Test
    void propertiesFile(@TempDir Path dir) throws Exception {
        Option<Integer> port = parser.define("port", 8888, "port");
        Option<String> path = parser.define("static-path", "", "static path");
        Path config = dir.resolve("app.properties");
        Files.writeString(config, "port: 9001\nstatic_path = /srv/\\\n  static\n");
        parser.parseConfigFile(config);
        assertThat(port.get()).isEqualTo(9001);
        assertThat(path.get()).isEqualTo("/srv/static");
    }

    @Test
    void malformedConfigFilesExitTwoWithFileAndLine(@TempDir Path dir) throws Exception {
        Option<Integer> port = parser.define("port", 8888, "port");
        Path config = dir.resolve("bad.conf");
        for (String[] c : new String[][] {
                {"port = 1\nprot = 2\n", ":2: unknown option 'prot' (did you mean --port?)"},
                {"port 1\n", ":1: expected 'name = value', got 'port 1'"},
                {"= 1\n", ":1: expected 'name = value'"},
                {"a b = 1\n", ":1: 'a b' is not an option name"},
                {"\n\nport = x\n", ":3: port: 'x' is not an integer"}}) {
            Files.writeString(config, c[0]);
            err.reset();
            assertThatThrownBy(() -> parser.parseConfigFile(config)).isInstanceOf(Exit.class);
            assertThat(err()).as(c[0]).startsWith("demo: " + config + c[1]);
            assertThat(port.get()).isEqualTo(8888);
        }
        Files.write(config, new byte[] {'p', '=', (byte) 0xff, (byte) 0xfe});
        assertThatThrownBy(() -> parser.readConfigFile(config)).isInstanceOf(OptionError.class)
                .hasMessageContaining("is not UTF-8 text");
        assertThatThrownBy(() -> parser.readConfigFile(dir.resolve("missing.conf"))).isInstanceOf(OptionError.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void callbacks() {
        List<Object> seen = new ArrayList<>();
        parser.option("port", Integer.class).defaultValue(1).callback(seen::add).define();
        parser.addParseCallback(() -> seen.add("parsed"));
        parser.parse(new String[] {"--port=2"}, false);
        assertThat(seen).containsExactly(2);
        parser.parseCommandLine("--port=3");
        assertThat(seen).containsExactly(2, 3, "parsed");
    }

    @Test
    void definitionErrors() {
        parser.define("port", 8888, "port");
        assertThatThrownBy(() -> parser.define("port", 1, "again")).hasMessageContaining("already defined");
        assertThatThrownBy(() -> parser.define("help", true, "x")).hasMessageContaining("invalid option name");
        assertThatThrownBy(() -> parser.define("bad name", 1, "x")).hasMessageContaining("invalid option name");
        assertThatThrownBy(() -> parser.define("when", Object.class, "x")).hasMessageContaining("unsupported type");
        assertThatThrownBy(() -> parser.define("list", List.of(1), "x")).hasMessageContaining("defineList");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Option<Object> p = (Option) parser.option("port");
        assertThatThrownBy(() -> p.set("x")).hasMessageContaining("holds Integer");
    }

    static final class Fields {
        @Define(help = "the port")
        static int port = 8888;
        @Define(help = "hosts", group = "security")
        static List<String> allowedHosts = List.of("a");
        @Define(name = "t", help = "timeout")
        static Duration timeout = Duration.ofSeconds(1);
    }

    @Test
    void annotatedFields() {
        List<Option<?>> defined = parser.defineFields(Fields.class);
        assertThat(defined).extracting(Option::name).containsExactly("port", "allowed-hosts", "t");
        assertThat(defined.get(1).group()).isEqualTo("security");
        parser.parseCommandLine("--port", "81", "--allowed-hosts=x,y", "--t=2s");
        assertThat(Fields.port).isEqualTo(81);
        assertThat(Fields.allowedHosts).containsExactly("x", "y");
        assertThat(Fields.timeout).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void globalFacadeDelegates() {
        Option<Integer> o = Options.define("options-test-global", 5, "global");
        assertThat(Options.options().option("options_test_global")).isSameAs(o);
        assertThat(Options.get("options-test-global")).isEqualTo(5);
    }
}
