package io.gale.web;

import java.util.Map;

/**
 * The handler class behind {@link Application#get(String, HandlerFunction)} and friends: one
 * instance per request, dispatching on the HTTP method to the lambdas registered for its route,
 * through the same lifecycle as any handler. Confined like any handler.
 */
final class FunctionHandler extends RequestHandler {
    private final FunctionRoute route;

    FunctionHandler(FunctionRoute route) {
        this.route = route;
    }

    /** The lambdas of one pattern by HTTP method; filled while the application is set up. */
    static final class FunctionRoute {
        final Map<String, HandlerFunction> functions = new java.util.concurrent.ConcurrentHashMap<>();

        String allow() {
            StringBuilder sb = new StringBuilder();
            for (String m : HandlerInfo.HTTP_METHODS) {
                if (implementsMethod(m)) {
                    sb.append(sb.isEmpty() ? "" : ", ").append(m);
                }
            }
            return sb.toString();
        }

        boolean implementsMethod(String method) {
            return functions.containsKey(method) || (method.equals("HEAD") && functions.containsKey("GET"));
        }

        HandlerFunction function(String method) {
            HandlerFunction f = functions.get(method);
            return f == null && method.equals("HEAD") ? functions.get("GET") : f;
        }
    }

    @Override
    String allowedMethods() {
        return route.allow();
    }

    @Override
    boolean isAsynchronous(String method) {
        return false;
    }

    @Override
    boolean runsOnVirtualThread(String method, int argCount) {
        return settings().virtualThreads();
    }

    @Override
    Object invokeHttpMethod(String method, String[] args) throws Throwable {
        HandlerFunction f = route.function(method);
        if (f == null) {
            throw new HttpError(405);
        }
        f.handle(this);
        return null;
    }
}
