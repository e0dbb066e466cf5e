package io.gale.options;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Jazzer targets for the option parsers (command lines, configuration-file lines, typed values):
 * every input must end in a value or an {@link OptionError} / {@link IllegalArgumentException}
 * with a message; anything else thrown fails the target. A value read must also read back equal
 * when printed and given again, and the two spellings of a command-line option must agree. Seeds under
 * {@code src/test/resources/io/gale/options/OptionsFuzzTestInputs/}.
 */
class OptionsFuzzTest {
    enum Mode { A, B_C }

    private static OptionParser parser() {
        OptionParser p = new OptionParser("fuzz").environment(Map.of()).exitHandler(c -> { });
        p.define("port", 8888, "");
        p.define("debug", false, "");
        p.define("name", "x", "");
        p.define("ratio", 1.0, "");
        p.define("timeout", Duration.ofSeconds(1), "");
        p.define("path", Path.of("."), "");
        p.define("mode", Mode.A, "");
        p.defineList("ports", Integer.class, List.of(), "");
        p.defineList("names", String.class, List.of(), "");
        return p;
    }

    /**
     * Command lines: a usage error has a message. Where the parse succeeds, the same arguments
     * with every {@code --name=value} spelled {@code --name value} (where that means the same: not
     * for a boolean, nor a value starting with {@code --}) give the same values and positional
     * arguments, and every value printed ({@code ValueParser.format}) and given again as
     * {@code --name=printed} reads back equal.
     */
    @FuzzTest(maxDuration = "30s")
    void commandLine(FuzzedDataProvider data) {
        List<String> args = new ArrayList<>();
        while (data.remainingBytes() > 0 && args.size() < 16) {
            args.add(data.consumeString(40));
        }
        OptionParser p = parser();
        List<String> positional;
        try {
            positional = p.parse(args.toArray(String[]::new));
        } catch (OptionError e) {
            if (e.getMessage() == null || e.getMessage().isEmpty()) {
                throw new AssertionError("error without a message", e);
            }
            return;
        }
        OptionParser split = parser();
        assertThat(split.parse(spelledApart(p, args).toArray(String[]::new))).isEqualTo(positional);
        assertThat(split.asMap()).isEqualTo(p.asMap());
        for (Option<?> o : p.options()) {
            String printed = ValueParser.format(o.get());
            if (o.type() == Path.class && !printed.equals(printed.strip())) {
                continue; // "a /" is the path "a ", printed "a ", read back stripped: paths are not padded
            }
            OptionParser again = parser();
            again.parse("--" + o.name() + "=" + printed);
            assertThat(again.option(o.name()).get()).as("--%s=%s", o.name(), printed).isEqualTo(o.get());
        }
    }

    /** {@code args} with each {@code --name=value} that may be spelled {@code --name value} so spelled. */
    private static List<String> spelledApart(OptionParser p, List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                out.addAll(args.subList(i, args.size()));
                break;
            }
            int eq = a.indexOf('=');
            boolean option = a.length() >= 2 && a.charAt(0) == '-' && !Character.isDigit(a.charAt(1)) && a.charAt(1) != '.';
            Option<?> o = option ? p.option(a.substring(a.startsWith("--") ? 2 : 1, eq > 0 ? eq : a.length())) : null;
            if (o != null && eq < 0) {
                out.add(a);
                if (!(o.type() == Boolean.class && !o.isList()) && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    out.add(args.get(++i)); // its value, whatever it looks like
                }
                continue;
            }
            String value = eq > 0 ? a.substring(eq + 1) : "";
            if (o != null && !(o.type() == Boolean.class && !o.isList()) && !value.startsWith("--")) {
                out.add(a.substring(0, eq));
                out.add(value);
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Configuration lines: only the declared errors; a value read is, printed and written again
     * as a line ({@code name = "printed"}, a list as {@code name = ["a", "b"]}), read back equal.
     */
    @FuzzTest(maxDuration = "30s")
    void configLines(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        OptionParser p = parser();
        try {
            for (ConfigFile.Entry e : ConfigFile.lines(Path.of("fuzz.conf"), List.of(text.split("\n", -1)))) {
                Option<?> o = p.option(e.name());
                if (o != null) {
                    Object v = o.parse(o.isList() ? ConfigFile.unbracket(e.value()) : e.value());
                    String line = e.name() + " = " + (v instanceof List<?> l
                            ? l.stream().map(x -> "\"" + ValueParser.format(x) + "\"").collect(Collectors.joining(", ", "[", "]"))
                            : "\"" + ValueParser.format(v) + "\"");
                    if (o.type() == Path.class && ValueParser.format(v).strip().length() != ValueParser.format(v).length()) {
                        continue; // see commandLine: a path is printed unpadded
                    }
                    ConfigFile.Entry again = ConfigFile.lines(Path.of("again.conf"), List.of(line)).get(0);
                    assertThat(o.parse(o.isList() ? ConfigFile.unbracket(again.value()) : again.value()))
                            .as(line).isEqualTo(v);
                }
            }
        } catch (OptionError | IllegalArgumentException e) {
            // declared outcomes
            assertThat(e.getMessage()).isNotEmpty();
        }
    }

    /**
     * Typed values and lists: IllegalArgumentException with a message, or a value that, printed
     * ({@code ValueParser.format}, as help text and messages show it), parses back equal.
     */
    @FuzzTest(maxDuration = "30s")
    void values(FuzzedDataProvider data) {
        Class<?> type = data.pickValue(List.of(Integer.class, Long.class, Double.class, Boolean.class, Duration.class,
                Path.class, Mode.class, String.class));
        String text = data.consumeRemainingAsString();
        try {
            Object v = ValueParser.parse(type, text);
            String printed = ValueParser.format(v);
            if (type != Path.class || printed.equals(printed.strip())) {
                assertThat(ValueParser.parse(type, printed)).as(printed).isEqualTo(v);
            }
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotEmpty();
        }
        try {
            List<Object> list = ValueParser.parseList(type, text);
            String printed = ValueParser.format(list);
            if (type != Path.class || list.stream().allMatch(x -> x.toString().equals(x.toString().strip()))) {
                assertThat(ValueParser.parseList(type, printed)).as(printed).isEqualTo(list);
            }
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotEmpty();
        }
    }
}
