package io.gale.internal.autoreload;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training run of a start-up cache for dev mode:
 * {@code java -XX:AOTCacheOutput=dev.aot -cp JARS Training DIRS MAIN_CLASS [ARGS...]} runs
 * {@code MAIN_CLASS} (a workload that exits, such as the demos' {@code AotTraining}) with the
 * class directories {@code DIRS} (path-separated) in a class loader of their own, so that the
 * cache holds the classes of the jars (Gale, its dependencies) and not the application's.
 *
 * <p>Why: the JVM accepts a cache when the dump-time class path is a prefix of the run-time one,
 * and children run with {@code JARS:DIRS}; a class of the application recorded in the cache
 * would be loaded from the cache instead of from its edited class file. Classes defined by a
 * class loader of the application's own are not taken from the cache for the class path's
 * loader, so the edited classes always come from the directories.
 */
public final class Training {
    private Training() {
    }

    /**
     * Runs the workload.
     *
     * @param args the class directories, the main class, its arguments
     * @throws Throwable whatever the workload throws
     */
    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: Training DIRS MAIN_CLASS [ARGS...]");
            System.exit(2);
        }
        List<URL> urls = new ArrayList<>();
        for (String dir : args[0].split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                urls.add(Path.of(dir).toUri().toURL());
            }
        }
        URLClassLoader app = new URLClassLoader("training", urls.toArray(URL[]::new), ClassLoader.getSystemClassLoader());
        Thread.currentThread().setContextClassLoader(app);
        MethodHandle main = MethodHandles.publicLookup().findStatic(Class.forName(args[1], true, app), "main",
                MethodType.methodType(void.class, String[].class));
        main.invokeExact(Arrays.copyOfRange(args, 2, args.length));
    }
}
