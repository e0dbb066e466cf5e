package io.gale.internal.autoreload;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * The main class of every JVM the autoreload supervisor starts:
 * {@code ChildMain MAIN_CLASS [ARGS...]}. It connects to the supervisor, loads the classes that
 * changed since the previous child (so that a class file that cannot be loaded, half written or
 * from a failed build, stops this child at once while the previous one keeps serving), then runs
 * {@code MAIN_CLASS.main(ARGS)} on the main thread.
 *
 * <p>Exit statuses: 3 when a changed class or the main class cannot be loaded (the error is
 * printed to standard error); 1 when {@code main} throws (its stack trace is printed): unlike a
 * plain {@code java} run, the JVM then exits even if {@code main} had started other threads,
 * because a child that failed during start-up must not hold on half started.
 */
public final class ChildMain {
    /** Exit status: a class could not be loaded. */
    public static final int CANNOT_LOAD = 3;

    private ChildMain() {
    }

    /**
     * Runs the application's main class in a child JVM.
     *
     * @param args the main class, then its arguments
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: ChildMain MAIN_CLASS [ARGS...] (started by io.gale.autoreload.Autoreload)");
            System.exit(2);
        }
        ChildLink link = ChildLink.get();
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        for (String name : link.classesToCheck()) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                String message = "cannot load " + name + ": " + e;
                System.err.println("[autoreload] " + message);
                link.checked(message);
                System.exit(CANNOT_LOAD);
            }
        }
        link.checked(null);
        MethodHandle main;
        try {
            Class<?> mainClass = Class.forName(args[0], false, loader);
            main = MethodHandles.publicLookup().findStatic(mainClass, "main", MethodType.methodType(void.class, String[].class));
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("[autoreload] cannot run " + args[0] + ".main: " + e);
            System.exit(CANNOT_LOAD);
            return;
        }
        try {
            main.invokeExact(Arrays.copyOfRange(args, 1, args.length));
        } catch (Throwable t) {
            System.err.print("Exception in thread \"main\" ");
            t.printStackTrace();
            System.exit(1);
        }
    }
}
