package io.gale.testing;

import io.gale.http.HttpServerConnectionDelegate;
import io.gale.http.HttpServerOptions;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpClient;
import io.gale.ioloop.BlockedLoopReport;
import io.gale.ioloop.IOLoop;
import java.lang.annotation.Annotation;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The JUnit 5 extension behind {@link GaleTest}: serves the {@link TestApplication}, resolves the
 * parameters, and enforces the rules (time limit, no blocked loop, no unexpected ERROR line).
 * Registered by {@code @GaleTest}; usable directly with {@code @ExtendWith(GaleExtension.class)}
 * (then with {@link GaleTest}'s defaults).
 *
 * <p>Order in a test: {@code beforeEach} starts recording log lines; parameters are resolved
 * (the server starts at the first one that needs it); the test runs under its time limit; user
 * {@code @AfterEach} methods run; {@code afterEach} closes a per-test server and its loop, then
 * fails the test for blocked-loop reports and unexpected ERROR lines (added as suppressed
 * exceptions when the test failed already).
 */
public final class GaleExtension
        implements BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver, InvocationInterceptor {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GaleExtension.class);
    private static final String SCOPE = "scope";
    private static final String RECORDER = "recorder";
    private static final List<Class<?>> INJECTED = List.of(TestServer.class, AsyncHttpClient.class, HttpClient.class,
            IOLoop.class, InMemoryClient.class);
    private static final ScheduledExecutorService ALARMS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gale-test-timeout");
        t.setDaemon(true);
        return t;
    });

    /** Made by JUnit ({@code @GaleTest} or {@code @ExtendWith}); holds no state of its own. */
    public GaleExtension() {
    }

    // ----------------------------------------------------------------------------- lifecycle

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(RECORDER, LogCapture.startRecording());
        if (config(context).lifecycle() == GaleTest.Lifecycle.PER_CLASS) {
            ServedScope shared = classStore(context).get(SCOPE, ServedScope.class);
            if (shared != null) {
                shared.takeBlockedReports(); // reports between tests belong to no test
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Throwable> failures = new ArrayList<>();
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        ServedScope own = store.remove(SCOPE, ServedScope.class);
        ServedScope scope = own != null ? own : classStore(context).get(SCOPE, ServedScope.class);
        if (scope != null) {
            blockedFailure(scope.takeBlockedReports()).ifPresent(failures::add);
        }
        if (own != null) {
            try {
                own.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        LogCapture.Recorder recorder = store.remove(RECORDER, LogCapture.Recorder.class);
        if (recorder != null) {
            List<LogEvent> errors = recorder.stop();
            if (!errors.isEmpty() && !allowsErrorLogs(context)) {
                failures.add(new AssertionError(errors.size() + " unexpected ERROR log line(s) while the test ran "
                        + "(claim expected ones with ExpectLog, or annotate the test @AllowErrorLogs):\n  "
                        + String.join("\n  ", errors.stream().map(LogEvent::toString).toList()),
                        errors.get(0).throwable()));
            }
        }
        throwAll(failures);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ServedScope scope = context.getStore(NAMESPACE).remove(SCOPE, ServedScope.class);
        if (scope != null) {
            scope.close();
        }
    }

    /** One failure per watchdog report, the loop thread's stack as each one's own (suppressed after the first). */
    private static Optional<AssertionError> blockedFailure(List<BlockedLoopReport> reports) {
        AssertionError first = null;
        for (BlockedLoopReport r : reports) {
            AssertionError e = new AssertionError("the IOLoop " + r.loop().name() + " was blocked for "
                    + r.blockedFor().toMillis() + " ms (the stack is the loop thread's at that moment): move blocking "
                    + "work off the loop (IOLoop.runInExecutor, a @RunOnVirtualThread handler)");
            e.setStackTrace(r.stack());
            if (first == null) {
                first = e;
            } else {
                first.addSuppressed(e);
            }
        }
        return Optional.ofNullable(first);
    }

    private static void throwAll(List<Throwable> failures) {
        if (failures.isEmpty()) {
            return;
        }
        Throwable first = failures.get(0);
        for (Throwable t : failures.subList(1, failures.size())) {
            first.addSuppressed(t);
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        throw (Error) first;
    }

    // ---------------------------------------------------------------------------- parameters

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return INJECTED.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        ServedScope scope = scope(context);
        if (type == IOLoop.class) {
            return scope.loop();
        }
        if (type == InMemoryClient.class) {
            return scope.memory();
        }
        TestServer server = scope.server();
        if (type == AsyncHttpClient.class) {
            return server.asyncHttpClient();
        }
        if (type == HttpClient.class) {
            return server.httpClient();
        }
        return server;
    }

    /** The scope of the running test: its own, or the class's; made on first use. */
    private static ServedScope scope(ExtensionContext context) {
        GaleTest config = config(context);
        boolean perClass = config.lifecycle() == GaleTest.Lifecycle.PER_CLASS;
        ExtensionContext.Store store;
        if (perClass) {
            store = classStore(context);
        } else if (context.getTestMethod().isPresent()) {
            store = context.getStore(NAMESPACE);
        } else {
            throw new ParameterResolutionException("with @GaleTest(lifecycle = PER_TEST) the server exists per test: "
                    + "take it in @BeforeEach or test methods, or use lifecycle = PER_CLASS for @BeforeAll");
        }
        ServedScope scope = store.get(SCOPE, ServedScope.class);
        if (scope == null) {
            Class<?> testClass = context.getRequiredTestClass();
            Optional<Object> instance = context.getTestInstance();
            if (perClass && instance.isPresent() && context.getTestInstanceLifecycle()
                    .orElse(TestInstance.Lifecycle.PER_METHOD) == TestInstance.Lifecycle.PER_METHOD) {
                instance = Optional.empty(); // the first test's instance must not serve the others
            }
            Optional<Object> owner = instance;
            scope = new ServedScope(testClass.getSimpleName(), config.blockedThresholdMillis(),
                    () -> provide(testClass, owner, TestApplication.class, HttpServerConnectionDelegate.class, null),
                    () -> provide(testClass, owner, TestServerOptions.class, HttpServerOptions.class,
                            HttpServerOptions.defaults()));
            store.put(SCOPE, scope);
        }
        return scope;
    }

    private static ExtensionContext.Store classStore(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c.getStore(NAMESPACE);
    }

    /** The value of the one member of the class marked {@code marker}, or {@code otherwise} if none. */
    private static <T> T provide(Class<?> testClass, Optional<Object> instance, Class<? extends Annotation> marker,
            Class<T> type, T otherwise) {
        List<Member> found = new ArrayList<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(marker)) {
                    found.add(f);
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(marker)) {
                    found.add(m);
                }
            }
        }
        String what = "@" + marker.getSimpleName();
        if (found.isEmpty()) {
            if (otherwise != null) {
                return otherwise;
            }
            throw new ExtensionConfigurationException(testClass.getName() + " has no " + what
                    + " field or method giving the application to serve");
        }
        if (found.size() > 1) {
            throw new ExtensionConfigurationException(testClass.getName() + " has more than one " + what + ": " + found);
        }
        Member m = found.get(0);
        Object target = null;
        if (!Modifier.isStatic(m.getModifiers())) {
            target = instance.orElseThrow(() -> new ExtensionConfigurationException(what + " " + m.getName()
                    + " is not static, but the server is shared by the class: make it static or annotate the class "
                    + "@TestInstance(TestInstance.Lifecycle.PER_CLASS)"));
        }
        Object value;
        try {
            ((AccessibleObject) m).trySetAccessible(); // a package-private test class's members
            if (m instanceof Field f) {
                value = f.get(target);
            } else {
                Method method = (Method) m;
                if (method.getParameterCount() != 0) {
                    throw new ExtensionConfigurationException(what + " method " + method.getName()
                            + " must take no arguments");
                }
                value = method.invoke(target);
            }
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new ExtensionConfigurationException(what + " " + m.getName() + " failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new ExtensionConfigurationException("cannot read " + what + " " + m.getName(), e);
        }
        if (!type.isInstance(value)) {
            throw new ExtensionConfigurationException(what + " " + m.getName() + " gave " + value + ", not a "
                    + type.getName());
        }
        return type.cast(value);
    }


    // ---------------------------------------------------------------------------- time limit

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        withTimeLimit(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        withTimeLimit(invocation, context);
    }

    /**
     * Runs the test on the calling thread and interrupts it at the limit (JUnit's {@code @Timeout}
     * in its default mode does the same): waits in {@link GaleTesting#await}, {@code Future.get} or
     * a queue end at once; a test that ignores the interrupt cannot be stopped, but fails when it ends.
     */
    private static void withTimeLimit(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        if (hasJUnitTimeout(context)) {
            invocation.proceed();
            return;
        }
        Duration limit = GaleTesting.testTimeout();
        Thread thread = Thread.currentThread();
        Object lock = new Object();
        boolean[] state = new boolean[2]; // [0] fired, [1] finished
        ScheduledFuture<?> alarm = ALARMS.schedule(() -> {
            synchronized (lock) {
                if (!state[1]) {
                    state[0] = true;
                    thread.interrupt();
                }
            }
        }, limit.toNanos(), TimeUnit.NANOSECONDS);
        Throwable failure = null;
        try {
            invocation.proceed();
        } catch (Throwable t) {
            failure = t;
        }
        boolean fired;
        synchronized (lock) {
            state[1] = true;
            fired = state[0];
        }
        alarm.cancel(false);
        if (fired) {
            Thread.interrupted(); // the interrupt was ours
            TimeoutException timeout = new TimeoutException(context.getDisplayName() + " timed out after "
                    + limit.toMillis() + " ms (GaleTest's limit: gale.test.timeout, or JUnit's @Timeout)");
            if (failure != null) {
                timeout.addSuppressed(failure);
            }
            throw timeout;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static boolean hasJUnitTimeout(ExtensionContext context) {
        if (context.getTestMethod().map(m -> m.isAnnotationPresent(Timeout.class)).orElse(false)) {
            return true;
        }
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = enclosingOfNested(c)) {
            for (Class<?> s = c; s != null; s = s.getSuperclass()) {
                if (s.isAnnotationPresent(Timeout.class)) {
                    return true;
                }
            }
        }
        for (String key : List.of("junit.jupiter.execution.timeout.default",
                "junit.jupiter.execution.timeout.testable.method.default",
                "junit.jupiter.execution.timeout.test.method.default")) {
            if (context.getConfigurationParameter(key).isPresent()) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------- config

    private static GaleTest config(ExtensionContext context) {
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = enclosingOfNested(c)) {
            GaleTest g = c.getAnnotation(GaleTest.class);
            if (g != null) {
                return g;
            }
        }
        return Defaults.class.getAnnotation(GaleTest.class);
    }

    private static boolean allowsErrorLogs(ExtensionContext context) {
        if (context.getTestMethod().map(m -> m.isAnnotationPresent(AllowErrorLogs.class)).orElse(false)) {
            return true;
        }
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = enclosingOfNested(c)) {
            for (Class<?> s = c; s != null; s = s.getSuperclass()) {
                if (s.isAnnotationPresent(AllowErrorLogs.class)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The class a {@code @Nested} class sits in (whose annotations apply to it), else null. */
    private static Class<?> enclosingOfNested(Class<?> c) {
        return c.isAnnotationPresent(Nested.class) ? c.getEnclosingClass() : null;
    }

    /** Carries {@link GaleTest}'s defaults for classes that use {@code @ExtendWith} directly. */
    @GaleTest
    private static final class Defaults {
    }
}
