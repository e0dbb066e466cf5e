import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Fuzzes one Jazzer target for a given number of seconds: {@code java FuzzTarget.java
 * io.gale.http.HttpFuzzTest#requestParser 600}, run by {@code .ci/fuzz-campaign} with gale's test
 * class path, {@code JAZZER_FUZZ=1} and the gale module as working directory.
 *
 * <p>Why not {@code mvn test -Dtest=...}: Jazzer 0.24's JUnit integration takes the campaign's
 * length from the annotation's {@code maxDuration} only, and Maven adds a minute or more per run on
 * a loaded machine. Jazzer does pass libFuzzer flags given as the JUnit configuration parameters
 * {@code jazzer.internal.arg.N} after its own, so a {@code -max_total_time} given here wins over
 * the annotation's; the targets keep their short {@code maxDuration} for a quick local
 * {@code JAZZER_FUZZ=1 mvn test}. JUnit's timeouts are switched off for the campaign (the
 * targets' class {@code @Timeout}s are for regression mode); libFuzzer's per-input timeout
 * still applies.
 *
 * <p>Exit status: 0 when the target ran its time without a finding, 1 when it found something
 * (the input is written next to the target's seeds as {@code crash-<sha1>}), 2 on a usage error.
 */
public final class FuzzTarget {
    public static void main(String[] args) {
        if (args.length != 2 || !args[0].contains("#")) {
            System.err.println("usage: FuzzTarget io.gale.pkg.ClassFuzzTest#target SECONDS");
            System.exit(2);
        }
        long seconds = Long.parseLong(args[1]);
        String className = args[0].substring(0, args[0].indexOf('#'));
        String methodName = args[0].substring(args[0].indexOf('#') + 1);
        Class<?> testClass;
        try {
            testClass = Class.forName(className);
        } catch (ClassNotFoundException e) {
            System.err.println("fuzz-campaign: no such class: " + className);
            System.exit(2);
            return;
        }
        // A target's parameter types vary (FuzzedDataProvider, byte[], ...): find it by name.
        Method target = Arrays.stream(testClass.getDeclaredMethods())
                .filter(m -> m.getName().equals(methodName))
                .findFirst()
                .orElse(null);
        if (target == null) {
            System.err.println("fuzz-campaign: no such target: " + args[0]);
            System.exit(2);
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(testClass, target))
                .configurationParameter("jazzer.internal.arg.0", "fuzz-campaign")
                .configurationParameter("jazzer.internal.arg.1", "-max_total_time=" + seconds)
                .configurationParameter("jazzer.internal.arg.2", "-print_final_stats=1")
                .configurationParameter("junit.jupiter.execution.timeout.mode", "disabled")
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, summary);
        TestExecutionSummary s = summary.getSummary();
        s.printFailuresTo(new java.io.PrintWriter(System.out, true), 40);
        System.out.printf("fuzz-campaign: %s: %d tests, %d failed%n",
                args[0], s.getTestsFoundCount(), s.getTotalFailureCount());
        if (s.getTestsFoundCount() == 0) {
            System.err.println("fuzz-campaign: no such target: " + args[0]);
            System.exit(2);
        }
        System.exit(s.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
