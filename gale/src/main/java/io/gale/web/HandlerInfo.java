package io.gale.web;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the framework knows about a handler class, found by reflection once per class and cached:
 * its constructor, its HTTP methods ({@code public void get(String...)}, {@code public
 * CompletionStage<?> post(String id)}, ...), the {@code Allow} header they make, and its
 * annotations. Immutable and thread-safe.
 */
final class HandlerInfo {
    /** Tornado's {@code SUPPORTED_METHODS}, in the order the {@code Allow} header lists them. */
    static final List<String> HTTP_METHODS = List.of("GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS");

    private static final ClassValue<HandlerInfo> CACHE = new ClassValue<>() {
        @Override
        protected HandlerInfo computeValue(Class<?> type) {
            return new HandlerInfo(type.asSubclass(RequestHandler.class));
        }
    };

    /** One Java method serving one HTTP method. */
    record Target(Method method, int arity, boolean varargs, boolean asynchronous, boolean virtualThread,
            boolean authenticated, boolean xsrfExempt, TrailingSlash.Rule slashRule) {
        boolean accepts(int args) {
            return varargs || arity == args;
        }
    }

    private final Class<? extends RequestHandler> type;
    private final Constructor<? extends RequestHandler> constructor;
    private final Map<String, List<Target>> targets;
    private final String allow;
    private final boolean streaming;
    private final boolean classVirtualThread;
    /** Whether getCurrentUser() is declared to return a CompletionStage (resolved before the method). */
    private final boolean asyncCurrentUser;
    /** Whether any method is {@link Authenticated} (most classes: none, and no per-request lookup). */
    private final boolean anyAuthenticated;

    static HandlerInfo of(Class<? extends RequestHandler> type) {
        return CACHE.get(type);
    }

    private HandlerInfo(Class<? extends RequestHandler> type) {
        this.type = type;
        this.constructor = findConstructor(type);
        this.streaming = hasStreamAnnotation(type);
        this.classVirtualThread = type.isAnnotationPresent(RunOnVirtualThread.class);
        boolean classAsync = type.isAnnotationPresent(Asynchronous.class);
        boolean classAuthenticated = type.isAnnotationPresent(Authenticated.class);
        boolean classXsrfExempt = type.isAnnotationPresent(XsrfExempt.class);
        TrailingSlash.Rule classSlash = TrailingSlash.of(type);
        this.asyncCurrentUser = declaresAsyncCurrentUser(type);
        checkNoHiddenMethods(type);
        Map<String, List<Target>> found = new LinkedHashMap<>();
        for (Method m : type.getMethods()) {
            String http = m.getName().toUpperCase(Locale.ROOT);
            if (!HTTP_METHODS.contains(http) || !m.getName().equals(http.toLowerCase(Locale.ROOT))
                    || Modifier.isStatic(m.getModifiers()) || ((m.isBridge() || m.isSynthetic()) && !isVisibilityBridge(m))) {
                continue;
            }
            Class<?>[] params = m.getParameterTypes();
            boolean varargs = params.length == 1 && params[0] == String[].class;
            for (Class<?> p : params) {
                if (p != String.class && !varargs) {
                    throw new IllegalArgumentException("handler method " + m + " must take only String path arguments");
                }
            }
            Class<?> ret = m.getReturnType();
            if (ret != void.class && !CompletionStage.class.isAssignableFrom(ret)) {
                throw new IllegalArgumentException("handler method " + m + " must return void or a CompletionStage");
            }
            m.trySetAccessible(); // public method of a non-public class (e.g. nested in a test)
            found.computeIfAbsent(http, k -> new ArrayList<>()).add(new Target(m, varargs ? -1 : params.length,
                    varargs, classAsync || m.isAnnotationPresent(Asynchronous.class),
                    classVirtualThread || m.isAnnotationPresent(RunOnVirtualThread.class),
                    classAuthenticated || m.isAnnotationPresent(Authenticated.class),
                    classXsrfExempt || m.isAnnotationPresent(XsrfExempt.class), TrailingSlash.of(m, classSlash)));
        }
        if (!found.containsKey("HEAD") && found.containsKey("GET")) {
            found.put("HEAD", found.get("GET")); // HEAD is GET without the body; the connection drops it
        }
        this.targets = Map.copyOf(found);
        this.anyAuthenticated = found.values().stream().flatMap(List::stream).anyMatch(Target::authenticated);
        StringBuilder sb = new StringBuilder();
        for (String http : HTTP_METHODS) {
            if (found.containsKey(http)) {
                sb.append(sb.isEmpty() ? "" : ", ").append(http);
            }
        }
        this.allow = sb.toString();
    }

    /**
     * The bridge javac writes into a public handler class for a public method it inherits from a
     * package-private base class (the base's method is then reached only through it). Generic
     * bridges erase their parameters to Object; handler methods take only Strings, so a bridge
     * whose parameters are all String (or one String[]) stands for the base's own method.
     */
    private static boolean isVisibilityBridge(Method m) {
        if (!m.isBridge()) {
            return false;
        }
        for (Class<?> p : m.getParameterTypes()) {
            if (p != String.class && p != String[].class) {
                return false;
            }
        }
        return true;
    }

    /**
     * A method named after an HTTP method that is not public would never be called (requests for
     * it get 405): refuse it at start-up, saying why.
     */
    private static void checkNoHiddenMethods(Class<?> type) {
        for (Class<?> c = type; c != null && c != RequestHandler.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                String http = m.getName().toUpperCase(Locale.ROOT);
                if (HTTP_METHODS.contains(http) && m.getName().equals(http.toLowerCase(Locale.ROOT))
                        && !Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                        && !m.isBridge() && !m.isSynthetic()) {
                    throw new IllegalArgumentException("handler method " + m + " is not public: Gale calls only public "
                            + "methods named after HTTP methods (requests for it would get 405); make it public");
                }
            }
        }
    }

    /**
     * Checks at start-up that a route capturing {@code groups} path arguments can call every HTTP
     * method of the class: some overload takes that many Strings (or String...).
     *
     * @throws IllegalArgumentException naming the method, its parameters and the pattern
     */
    void checkPathArguments(int groups, String where) {
        for (Map.Entry<String, List<Target>> e : targets.entrySet()) {
            List<Target> list = e.getValue();
            if (list.stream().noneMatch(t -> t.accepts(groups))) {
                Target t = list.get(0);
                throw new IllegalArgumentException(where + " captures " + groups + " path argument"
                        + (groups == 1 ? "" : "s") + " but " + type.getName() + "." + t.method().getName() + " takes "
                        + t.arity() + ": give the method one String parameter per capture group (or String...), "
                        + "or make groups non-capturing with (?:...)");
            }
        }
    }

    /** @throws IllegalArgumentException if the framework cannot create the class (no no-argument constructor) */
    void checkConstructible(String where) {
        if (constructor == null) {
            throw new IllegalArgumentException(where + ": " + type.getName() + " has "
                    + (Modifier.isAbstract(type.getModifiers()) ? "no instances (abstract)" : "no no-argument constructor")
                    + ": route it with a factory, Route.url(pattern, () -> new Handler(...))");
        }
    }

    private static Constructor<? extends RequestHandler> findConstructor(Class<? extends RequestHandler> type) {
        if (Modifier.isAbstract(type.getModifiers())) {
            return null; // only usable through a factory, or the FunctionHandler hooks
        }
        try {
            Constructor<? extends RequestHandler> c = type.getDeclaredConstructor();
            c.trySetAccessible();
            return c;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static boolean hasStreamAnnotation(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.isAnnotationPresent(StreamRequestBody.class)) {
                return true;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (hasStreamAnnotation(i)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The most specific getCurrentUser() declaration returns a CompletionStage (a covariant override). */
    private static boolean declaresAsyncCurrentUser(Class<?> type) {
        for (Class<?> c = type; c != null && c != RequestHandler.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals("getCurrentUser") && m.getParameterCount() == 0 && !m.isBridge()) {
                    return CompletionStage.class.isAssignableFrom(m.getReturnType());
                }
            }
        }
        return false;
    }

    RequestHandler newInstance() {
        if (constructor == null) {
            throw new IllegalStateException(type.getName() + " has no no-argument constructor: route it with a "
                    + "factory, Route.url(pattern, () -> new Handler(...))");
        }
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("constructor of " + type.getName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + type.getName(), e);
        }
    }

    /** The method serving {@code httpMethod} with {@code argCount} path arguments, or null. */
    Target target(String httpMethod, int argCount) {
        List<Target> list = targets.get(httpMethod);
        if (list == null) {
            return null;
        }
        Target fallback = null;
        for (Target t : list) {
            if (!t.varargs() && t.arity() == argCount) {
                return t;
            }
            if (t.varargs()) {
                fallback = t;
            }
        }
        return fallback != null ? fallback : list.get(0);
    }

    boolean implementsMethod(String httpMethod) {
        return targets.containsKey(httpMethod);
    }

    /** The {@code Allow} header value: the implemented methods. */
    String allow() {
        return allow;
    }

    boolean streaming() {
        return streaming;
    }

    boolean classVirtualThread() {
        return classVirtualThread;
    }

    boolean asyncCurrentUser() {
        return asyncCurrentUser;
    }

    boolean anyAuthenticated() {
        return anyAuthenticated;
    }

    /**
     * Calls {@code target} on {@code handler}; an exception the method threw is rethrown as it is.
     *
     * @return the method's stage, or null for a void method
     */
    static Object invoke(RequestHandler handler, Target target, String[] args) throws Throwable {
        Method m = target.method();
        if (!target.accepts(args.length)) {
            throw new IllegalStateException(m + " takes " + target.arity() + " path arguments but the route captured "
                    + args.length);
        }
        try {
            return target.varargs() ? m.invoke(handler, (Object) args) : m.invoke(handler, (Object[]) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
