package io.gale.web;

import io.gale.http.FormLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The settings of an {@link Application} (Tornado's {@code **settings}), typed and immutable.
 *
 * <pre>{@code
 * ApplicationSettings settings = ApplicationSettings.builder()
 *         .debug(true)                    // error pages carry stack traces
 *         .compressResponse(true)         // gzip for clients that accept it
 *         .maxBodySize(10 << 20)
 *         .build();
 * }</pre>
 *
 * <p>Defaults: see each builder method. Thread-safe (immutable).
 */
public final class ApplicationSettings {
    /** Tornado's {@code max_body_size} default: 100 MiB. */
    public static final long DEFAULT_MAX_BODY_SIZE = 100L * 1024 * 1024;

    /**
     * Default cap on virtual-thread requests in progress: 256 per core, at least 1024. A blocked
     * virtual thread costs a few KiB, the request it serves (buffers, body, driver state) far more;
     * this bounds that memory while leaving room for thousands of concurrent blocking calls.
     */
    public static final int DEFAULT_MAX_VIRTUAL_THREAD_REQUESTS =
            Math.max(1024, 256 * Runtime.getRuntime().availableProcessors());

    /** Default time a virtual-thread request waits for admission before 503: 5 seconds. */
    public static final Duration DEFAULT_VIRTUAL_THREAD_ADMISSION_TIMEOUT = Duration.ofSeconds(5);

    private static final ApplicationSettings DEFAULTS = builder().build();

    private final boolean debug;
    private final boolean serveTraceback;
    private final boolean compressResponse;
    private final Class<? extends RequestHandler> defaultHandlerClass;
    private final Map<String, Object> defaultHandlerArgs;
    private final Consumer<RequestHandler> logFunction;
    private final long maxBodySize;
    private final FormLimits formLimits;
    private final boolean virtualThreads;
    private final int maxVirtualThreadRequests;
    private final int virtualThreadQueueSize;
    private final Duration virtualThreadAdmissionTimeout;
    // static files
    private final Path staticPath;
    private final String staticUrlPrefix;
    private final Class<? extends StaticFileHandler> staticHandlerClass;
    private final Map<String, Object> staticHandlerArgs;
    private final boolean staticHashCache;

    private ApplicationSettings(Builder b) {
        this.debug = b.debug;
        this.serveTraceback = b.serveTraceback != null ? b.serveTraceback : b.debug;
        this.compressResponse = b.compressResponse;
        this.defaultHandlerClass = b.defaultHandlerClass;
        this.defaultHandlerArgs = Map.copyOf(b.defaultHandlerArgs);
        this.logFunction = b.logFunction;
        this.maxBodySize = b.maxBodySize;
        this.formLimits = b.formLimits;
        this.virtualThreads = b.virtualThreads;
        this.maxVirtualThreadRequests = b.maxVirtualThreadRequests;
        this.virtualThreadQueueSize = b.virtualThreadQueueSize < 0 ? b.maxVirtualThreadRequests : b.virtualThreadQueueSize;
        this.virtualThreadAdmissionTimeout = b.virtualThreadAdmissionTimeout;
        this.staticPath = b.staticPath;
        this.staticUrlPrefix = b.staticUrlPrefix;
        this.staticHandlerClass = b.staticHandlerClass;
        this.staticHandlerArgs = Map.copyOf(b.staticHandlerArgs);
        this.staticHashCache = b.staticHashCache != null ? b.staticHashCache : !b.debug;
    }

    /** The defaults of every setting. */
    public static ApplicationSettings defaults() {
        return DEFAULTS;
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to derive changed ones. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.debug = debug;
        b.serveTraceback = serveTraceback;
        b.compressResponse = compressResponse;
        b.defaultHandlerClass = defaultHandlerClass;
        b.defaultHandlerArgs = defaultHandlerArgs;
        b.logFunction = logFunction;
        b.maxBodySize = maxBodySize;
        b.formLimits = formLimits;
        b.virtualThreads = virtualThreads;
        b.maxVirtualThreadRequests = maxVirtualThreadRequests;
        b.virtualThreadQueueSize = virtualThreadQueueSize;
        b.virtualThreadAdmissionTimeout = virtualThreadAdmissionTimeout;
        b.staticPath = staticPath;
        b.staticUrlPrefix = staticUrlPrefix;
        b.staticHandlerClass = staticHandlerClass;
        b.staticHandlerArgs = staticHandlerArgs;
        b.staticHashCache = staticHashCache;
        return b;
    }

    public boolean debug() {
        return debug;
    }

    public boolean serveTraceback() {
        return serveTraceback;
    }

    public boolean compressResponse() {
        return compressResponse;
    }

    /** The handler for requests no route matches; null for the built-in 404. */
    public Class<? extends RequestHandler> defaultHandlerClass() {
        return defaultHandlerClass;
    }

    public Map<String, Object> defaultHandlerArgs() {
        return defaultHandlerArgs;
    }

    /** The access-log function; null for the default one-line log on "gale.access". */
    public Consumer<RequestHandler> logFunction() {
        return logFunction;
    }

    public long maxBodySize() {
        return maxBodySize;
    }

    public FormLimits formLimits() {
        return formLimits;
    }

    public boolean virtualThreads() {
        return virtualThreads;
    }

    public int maxVirtualThreadRequests() {
        return maxVirtualThreadRequests;
    }

    public int virtualThreadQueueSize() {
        return virtualThreadQueueSize;
    }

    public Duration virtualThreadAdmissionTimeout() {
        return virtualThreadAdmissionTimeout;
    }

    // ---- static files (see StaticFileHandler)

    /** The directory {@link StaticFileHandler} serves, or null for none. */
    public Path staticPath() {
        return staticPath;
    }

    public String staticUrlPrefix() {
        return staticUrlPrefix;
    }

    public Class<? extends StaticFileHandler> staticHandlerClass() {
        return staticHandlerClass;
    }

    public Map<String, Object> staticHandlerArgs() {
        return staticHandlerArgs;
    }

    public boolean staticHashCache() {
        return staticHashCache;
    }

    /** Collects settings; not thread-safe. */
    public static final class Builder {
        private boolean debug;
        private Boolean serveTraceback;
        private boolean compressResponse;
        private Class<? extends RequestHandler> defaultHandlerClass;
        private Map<String, Object> defaultHandlerArgs = Map.of();
        private Consumer<RequestHandler> logFunction;
        private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
        private FormLimits formLimits = FormLimits.DEFAULTS;
        private boolean virtualThreads;
        private int maxVirtualThreadRequests = DEFAULT_MAX_VIRTUAL_THREAD_REQUESTS;
        private int virtualThreadQueueSize = -1;
        private Duration virtualThreadAdmissionTimeout = DEFAULT_VIRTUAL_THREAD_ADMISSION_TIMEOUT;
        private Path staticPath;
        private String staticUrlPrefix = "/static/";
        private Class<? extends StaticFileHandler> staticHandlerClass = StaticFileHandler.class;
        private Map<String, Object> staticHandlerArgs = Map.of();
        private Boolean staticHashCache;

        private Builder() {
        }

        /** Development mode; default false. Implies {@link #serveTraceback} unless that is set. */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /** Stack traces in error pages (never in production); default = {@code debug}. */
        public Builder serveTraceback(boolean serveTraceback) {
            this.serveTraceback = serveTraceback;
            return this;
        }

        /**
         * Gzip responses of compressible types (text/*, JSON, JavaScript, XML, {@code +xml},
         * {@code +json}) of at least 1024 bytes, or streamed, to clients that accept it;
         * default false (Tornado's {@code compress_response}).
         */
        public Builder compressResponse(boolean compressResponse) {
            this.compressResponse = compressResponse;
            return this;
        }

        /** Handler for unmatched requests (Tornado's {@code default_handler_class}); default: a 404 page. */
        public Builder defaultHandlerClass(Class<? extends RequestHandler> handlerClass) {
            this.defaultHandlerClass = handlerClass;
            return this;
        }

        /** Init arguments of {@link #defaultHandlerClass}; default none. */
        public Builder defaultHandlerArgs(Map<String, Object> args) {
            this.defaultHandlerArgs = Objects.requireNonNull(args, "args");
            return this;
        }

        /**
         * Replaces the access log (Tornado's {@code log_function}), called once per finished
         * request on the request's thread. Default: one line on the SLF4J logger
         * {@code gale.access}: {@code 200 GET /path (10.0.0.1) 1.23ms}, at INFO below 400, WARN
         * below 500, ERROR from 500.
         */
        public Builder logFunction(Consumer<RequestHandler> logFunction) {
            this.logFunction = logFunction;
            return this;
        }

        /** Largest buffered request body; a larger one is answered 413. Default 100 MiB. */
        public Builder maxBodySize(long maxBodySize) {
            if (maxBodySize < 0) {
                throw new IllegalArgumentException("maxBodySize < 0");
            }
            this.maxBodySize = maxBodySize;
            return this;
        }

        /** Limits for parsing form bodies; default {@link FormLimits#DEFAULTS}. */
        public Builder formLimits(FormLimits formLimits) {
            this.formLimits = Objects.requireNonNull(formLimits, "formLimits");
            return this;
        }

        /** Runs every handler on virtual threads, as if annotated {@link RunOnVirtualThread}; default false. */
        public Builder virtualThreads(boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
            return this;
        }

        /** Most virtual-thread requests in progress at once; default {@link #DEFAULT_MAX_VIRTUAL_THREAD_REQUESTS}. */
        public Builder maxVirtualThreadRequests(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxVirtualThreadRequests < 1");
            }
            this.maxVirtualThreadRequests = max;
            return this;
        }

        /**
         * Most virtual-thread requests waiting for admission; beyond it they get 503 at once.
         * Default: equal to {@code maxVirtualThreadRequests}. 0 means no waiting.
         */
        public Builder virtualThreadQueueSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("virtualThreadQueueSize < 0");
            }
            this.virtualThreadQueueSize = size;
            return this;
        }

        /** How long a request waits for admission before 503; default 5 seconds. */
        public Builder virtualThreadAdmissionTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("negative timeout");
            }
            this.virtualThreadAdmissionTimeout = timeout;
            return this;
        }

        // ---- static files

        /**
         * Serves this directory (Tornado's {@code static_path}): the application routes
         * {@code staticUrlPrefix + "(.*)"}, {@code /favicon.ico} and {@code /robots.txt} to
         * {@link #staticHandlerClass}, ahead of its own routes, and
         * {@link RequestHandler#staticUrl} builds versioned URLs. Default none.
         */
        public Builder staticPath(Path staticPath) {
            this.staticPath = staticPath;
            return this;
        }

        /** URL prefix of the static files; default {@code "/static/"}. Must start and end with {@code /}. */
        public Builder staticUrlPrefix(String prefix) {
            if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
                throw new IllegalArgumentException("staticUrlPrefix must start and end with /: " + prefix);
            }
            this.staticUrlPrefix = prefix;
            return this;
        }

        /** The handler of the static routes, and whose {@code makeStaticUrl} builds URLs; default {@link StaticFileHandler}. */
        public Builder staticHandlerClass(Class<? extends StaticFileHandler> handlerClass) {
            this.staticHandlerClass = Objects.requireNonNull(handlerClass, "handlerClass");
            return this;
        }

        /** Init arguments of the static routes (e.g. {@code "defaultFilename"}); {@code "path"} is added. Default none. */
        public Builder staticHandlerArgs(Map<String, Object> args) {
            this.staticHandlerArgs = Objects.requireNonNull(args, "args");
            return this;
        }

        /**
         * Remember each static file's content hash once computed (Tornado's
         * {@code static_hash_cache}); off, it is computed again each time a URL or ETag needs it,
         * so an edited file gets a new version at once. Default: {@code !debug}.
         */
        public Builder staticHashCache(boolean staticHashCache) {
            this.staticHashCache = staticHashCache;
            return this;
        }

        public ApplicationSettings build() {
            return new ApplicationSettings(this);
        }
    }
}
