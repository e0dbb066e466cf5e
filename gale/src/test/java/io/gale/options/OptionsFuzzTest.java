package io.gale.options;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jazzer targets for the option parsers (command lines, configuration-file lines, typed values):
 * every input must end in a value or an {@link OptionError} / {@link IllegalArgumentException}
 * with a message; anything else thrown fails the target. Seeds under
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

    @FuzzTest(maxDuration = "30s")
    void commandLine(FuzzedDataProvider data) {
        List<String> args = new ArrayList<>();
        while (data.remainingBytes() > 0 && args.size() < 16) {
            args.add(data.consumeString(40));
        }
        try {
            parser().parse(args.toArray(String[]::new));
        } catch (OptionError e) {
            if (e.getMessage() == null || e.getMessage().isEmpty()) {
                throw new AssertionError("error without a message", e);
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void configLines(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        OptionParser p = parser();
        try {
            for (ConfigFile.Entry e : ConfigFile.lines(Path.of("fuzz.conf"), List.of(text.split("\n", -1)))) {
                Option<?> o = p.option(e.name());
                if (o != null) {
                    o.parse(o.isList() ? ConfigFile.unbracket(e.value()) : e.value());
                }
            }
        } catch (OptionError | IllegalArgumentException e) {
            // declared outcomes
        }
    }

    @FuzzTest(maxDuration = "30s")
    void values(FuzzedDataProvider data) {
        Class<?> type = data.pickValue(List.of(Integer.class, Long.class, Double.class, Boolean.class, Duration.class,
                Path.class, Mode.class, String.class));
        String text = data.consumeRemainingAsString();
        try {
            ValueParser.parse(type, text);
        } catch (IllegalArgumentException e) {
            // declared outcome
        }
        try {
            ValueParser.parseList(type, text);
        } catch (IllegalArgumentException e) {
            // declared outcome
        }
    }
}
