package io.gale.web;

import io.gale.http.FormLimits;
import io.gale.http.SetCookie;
import io.gale.locale.Locales;
import io.gale.template.TemplateEngine;
import io.gale.template.UIMethod;
import io.gale.template.UIModule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
    private final boolean autoreload;
    private final boolean compressResponse;
    private final Class<? extends RequestHandler> defaultHandlerClass;
    private final Supplier<? extends RequestHandler> defaultHandler;
    private final Map<String, Object> defaultHandlerArgs;
    private final boolean jsonErrors;
    private final Consumer<RequestHandler> logFunction;
    private final io.gale.metrics.GaleMetrics metrics;
    private final long maxBodySize;
    private final FormLimits formLimits;
    private final boolean virtualThreads;
    private final int maxVirtualThreadRequests;
    private final int virtualThreadQueueSize;
    private final Duration virtualThreadAdmissionTimeout;
    // signed cookies, XSRF, login (issue 13)
    private final String cookieSecret;
    private final Map<Integer, String> cookieSecrets;
    private final Integer keyVersion;
    private final SignedValues signedValues;
    private final boolean xsrfCookies;
    private final String xsrfCookieName;
    private final Consumer<SetCookie.Builder> xsrfCookieKwargs;
    private final String loginUrl;
    // locale
    private final Locales locales;
    private final Path templatePath;
    private final TemplateEngine templateEngine;
    private final boolean autoescape;
    private final boolean compiledTemplateCache;
    private final Map<String, Class<? extends UIModule>> uiModules;
    private final Map<String, UIMethod> uiMethods;
    // static files
    private final Path staticPath;
    private final String staticUrlPrefix;
    private final Class<? extends StaticFileHandler> staticHandlerClass;
    private final Map<String, Object> staticHandlerArgs;
    private final boolean staticHashCache;

    private ApplicationSettings(Builder b) {
        this.debug = b.debug;
        this.serveTraceback = b.serveTraceback != null ? b.serveTraceback : b.debug;
        this.autoreload = b.autoreload != null ? b.autoreload : b.debug;
        this.compressResponse = b.compressResponse;
        this.defaultHandlerClass = b.defaultHandlerClass;
        this.defaultHandler = b.defaultHandler;
        this.defaultHandlerArgs = Map.copyOf(b.defaultHandlerArgs);
        this.jsonErrors = b.jsonErrors;
        if (defaultHandlerClass != null && defaultHandler != null) {
            throw new IllegalArgumentException("set defaultHandlerClass or defaultHandler, not both");
        }
        this.logFunction = b.logFunction;
        this.metrics = b.metrics;
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
        this.templatePath = b.templatePath;
        this.templateEngine = b.templateEngine;
        this.autoescape = b.autoescape;
        this.compiledTemplateCache = b.compiledTemplateCache != null ? b.compiledTemplateCache : !b.debug;
        this.uiModules = Map.copyOf(b.uiModules);
        this.uiMethods = Map.copyOf(b.uiMethods);
        // locale
        this.locales = b.locales;
        this.cookieSecret = b.cookieSecret;
        this.cookieSecrets = b.cookieSecrets;
        this.keyVersion = b.keyVersion;
        this.signedValues = b.signedValues();
        this.xsrfCookies = b.xsrfCookies;
        this.xsrfCookieName = b.xsrfCookieName;
        this.xsrfCookieKwargs = b.xsrfCookieKwargs;
        this.loginUrl = b.loginUrl;
        if (xsrfCookies) {
            checkXsrfCookie(xsrfCookieName, xsrfCookieKwargs);
        }
    }

    /** Builds a sample XSRF cookie so that a bad name or attribute mix is refused at start-up, not per request. */
    private static void checkXsrfCookie(String name, Consumer<SetCookie.Builder> kwargs) {
        SetCookie.Builder sample = SetCookie.builder(name, "2|00000000|00|0").path("/");
        kwargs.accept(sample);
        try {
            sample.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("xsrfCookieName/xsrfCookieKwargs make an invalid cookie: " + e.getMessage(), e);
        }
    }

    /**
     * The defaults of every setting.
     *
     * @return the defaults of every setting
     */
    public static ApplicationSettings defaults() {
        return DEFAULTS;
    }

    /**
     * A builder with every setting at its default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these settings, to derive changed ones.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.debug = debug;
        b.serveTraceback = serveTraceback;
        b.autoreload = autoreload;
        b.compressResponse = compressResponse;
        b.defaultHandlerClass = defaultHandlerClass;
        b.defaultHandler = defaultHandler;
        b.defaultHandlerArgs = defaultHandlerArgs;
        b.jsonErrors = jsonErrors;
        b.logFunction = logFunction;
        b.metrics = metrics;
        b.maxBodySize = maxBodySize;
        b.formLimits = formLimits;
        b.virtualThreads = virtualThreads;
        b.maxVirtualThreadRequests = maxVirtualThreadRequests;
        b.virtualThreadQueueSize = virtualThreadQueueSize;
        b.virtualThreadAdmissionTimeout = virtualThreadAdmissionTimeout;
        b.cookieSecret = cookieSecret;
        b.cookieSecrets = cookieSecrets;
        b.keyVersion = keyVersion;
        b.xsrfCookies = xsrfCookies;
        b.xsrfCookieName = xsrfCookieName;
        b.xsrfCookieKwargs = xsrfCookieKwargs;
        b.loginUrl = loginUrl;
        // locale
        b.locales = locales;
        b.templatePath = templatePath;
        b.templateEngine = templateEngine;
        b.autoescape = autoescape;
        b.compiledTemplateCache = compiledTemplateCache;
        b.uiModules = uiModules;
        b.uiMethods = uiMethods;
        b.staticPath = staticPath;
        b.staticUrlPrefix = staticUrlPrefix;
        b.staticHandlerClass = staticHandlerClass;
        b.staticHandlerArgs = staticHandlerArgs;
        b.staticHashCache = staticHashCache;
        return b;
    }

    /**
     * The {@code debug} setting (see {@link Builder#debug}).
     *
     * @return the {@code debug} setting (see {@link Builder#debug})
     */
    public boolean debug() {
        return debug;
    }

    /**
     * The {@code serveTraceback} setting (see {@link Builder#serveTraceback}).
     *
     * @return the {@code serveTraceback} setting (see {@link Builder#serveTraceback})
     */
    public boolean serveTraceback() {
        return serveTraceback;
    }

    /**
     * Whether {@link Application#listen} runs the application under the dev-mode supervisor; see {@link Builder#autoreload}.
     *
     * @return whether {@link Application#listen} runs the application under the dev-mode supervisor; see {@link Builder#autoreload}
     */
    public boolean autoreload() {
        return autoreload;
    }

    /**
     * The {@code compressResponse} setting (see {@link Builder#compressResponse}).
     *
     * @return the {@code compressResponse} setting (see {@link Builder#compressResponse})
     */
    public boolean compressResponse() {
        return compressResponse;
    }

    /**
     * The handler for requests no route matches; null for the built-in 404.
     *
     * @return the handler for requests no route matches; null for the built-in 404
     */
    public Class<? extends RequestHandler> defaultHandlerClass() {
        return defaultHandlerClass;
    }

    /**
     * The factory of the handler for requests no route matches; null if none (see {@code defaultHandlerClass}).
     *
     * @return the factory of the handler for requests no route matches; null if none (see {@code defaultHandlerClass})
     */
    public Supplier<? extends RequestHandler> defaultHandler() {
        return defaultHandler;
    }

    /**
     * The {@code defaultHandlerArgs} setting (see {@link Builder#defaultHandlerArgs}).
     *
     * @return the {@code defaultHandlerArgs} setting (see {@link Builder#defaultHandlerArgs})
     */
    public Map<String, Object> defaultHandlerArgs() {
        return defaultHandlerArgs;
    }

    /**
     * Whether every error page is JSON (RFC 9457 problem details) instead of HTML.
     *
     * @return whether every error page is JSON (RFC 9457 problem details) instead of HTML
     */
    public boolean jsonErrors() {
        return jsonErrors;
    }

    /**
     * The access-log function; null for the default one-line log on "gale.access".
     *
     * @return the access-log function; null for the default one-line log on "gale.access"
     */
    public Consumer<RequestHandler> logFunction() {
        return logFunction;
    }

    /**
     * Where the application records its metrics (see {@link Builder#metrics}), or null.
     *
     * @return where the application records its metrics (see {@link Builder#metrics}), or null
     */
    public io.gale.metrics.GaleMetrics metrics() {
        return metrics;
    }

    /**
     * The {@code maxBodySize} setting (see {@link Builder#maxBodySize}).
     *
     * @return the {@code maxBodySize} setting (see {@link Builder#maxBodySize})
     */
    public long maxBodySize() {
        return maxBodySize;
    }

    /**
     * The {@code formLimits} setting (see {@link Builder#formLimits}).
     *
     * @return the {@code formLimits} setting (see {@link Builder#formLimits})
     */
    public FormLimits formLimits() {
        return formLimits;
    }

    /**
     * The {@code virtualThreads} setting (see {@link Builder#virtualThreads}).
     *
     * @return the {@code virtualThreads} setting (see {@link Builder#virtualThreads})
     */
    public boolean virtualThreads() {
        return virtualThreads;
    }

    /**
     * The {@code maxVirtualThreadRequests} setting (see {@link Builder#maxVirtualThreadRequests}).
     *
     * @return the {@code maxVirtualThreadRequests} setting (see {@link Builder#maxVirtualThreadRequests})
     */
    public int maxVirtualThreadRequests() {
        return maxVirtualThreadRequests;
    }

    /**
     * The {@code virtualThreadQueueSize} setting (see {@link Builder#virtualThreadQueueSize}).
     *
     * @return the {@code virtualThreadQueueSize} setting (see {@link Builder#virtualThreadQueueSize})
     */
    public int virtualThreadQueueSize() {
        return virtualThreadQueueSize;
    }

    /**
     * The {@code virtualThreadAdmissionTimeout} setting (see {@link Builder#virtualThreadAdmissionTimeout}).
     *
     * @return the {@code virtualThreadAdmissionTimeout} setting (see {@link Builder#virtualThreadAdmissionTimeout})
     */
    public Duration virtualThreadAdmissionTimeout() {
        return virtualThreadAdmissionTimeout;
    }

    /**
     * The signer made from {@code cookieSecret}/{@code cookieSecrets}; null when neither is set.
     *
     * @return the signer made from {@code cookieSecret}/{@code cookieSecrets}; null when neither is set
     */
    public SignedValues signedValues() {
        return signedValues;
    }

    /**
     * The {@code xsrfCookies} setting (see {@link Builder#xsrfCookies}).
     *
     * @return the {@code xsrfCookies} setting (see {@link Builder#xsrfCookies})
     */
    public boolean xsrfCookies() {
        return xsrfCookies;
    }

    /**
     * The {@code xsrfCookieName} setting (see {@link Builder#xsrfCookieName}).
     *
     * @return the {@code xsrfCookieName} setting (see {@link Builder#xsrfCookieName})
     */
    public String xsrfCookieName() {
        return xsrfCookieName;
    }

    /**
     * The {@code xsrfCookieKwargs} setting (see {@link Builder#xsrfCookieKwargs}).
     *
     * @return the {@code xsrfCookieKwargs} setting (see {@link Builder#xsrfCookieKwargs})
     */
    public Consumer<SetCookie.Builder> xsrfCookieKwargs() {
        return xsrfCookieKwargs;
    }

    /**
     * The login page of {@link Authenticated}; null when not set.
     *
     * @return the login page of {@link Authenticated}; null when not set
     */
    public String loginUrl() {
        return loginUrl;
    }

    /**
     * The supported locales and their translations ({@link RequestHandler#locale()}).
     *
     * @return the supported locales and their translations ({@link RequestHandler#locale()})
     */
    public Locales locales() {
        return locales;
    }

    /**
     * The template directory; null: templates come from the class path folder {@code templates}.
     *
     * @return the template directory; null: templates come from the class path folder {@code templates}
     */
    public Path templatePath() {
        return templatePath;
    }

    /**
     * The application's template engine, or null for Pebble made by {@code RequestHandler.createTemplateLoader}.
     *
     * @return the application's template engine, or null for Pebble made by {@code RequestHandler.createTemplateLoader}
     */
    public TemplateEngine templateEngine() {
        return templateEngine;
    }

    /**
     * The {@code autoescape} setting (see {@link Builder#autoescape}).
     *
     * @return the {@code autoescape} setting (see {@link Builder#autoescape})
     */
    public boolean autoescape() {
        return autoescape;
    }

    /**
     * The {@code compiledTemplateCache} setting (see {@link Builder#compiledTemplateCache}).
     *
     * @return the {@code compiledTemplateCache} setting (see {@link Builder#compiledTemplateCache})
     */
    public boolean compiledTemplateCache() {
        return compiledTemplateCache;
    }

    /**
     * The {@code uiModules} setting (see {@link Builder#uiModules}).
     *
     * @return the {@code uiModules} setting (see {@link Builder#uiModules})
     */
    public Map<String, Class<? extends UIModule>> uiModules() {
        return uiModules;
    }

    /**
     * The {@code uiMethods} setting (see {@link Builder#uiMethods}).
     *
     * @return the {@code uiMethods} setting (see {@link Builder#uiMethods})
     */
    public Map<String, UIMethod> uiMethods() {
        return uiMethods;
    }

    // ---- static files (see StaticFileHandler)

    /**
     * The directory {@link StaticFileHandler} serves, or null for none.
     *
     * @return the directory {@link StaticFileHandler} serves, or null for none
     */
    public Path staticPath() {
        return staticPath;
    }

    /**
     * The {@code staticUrlPrefix} setting (see {@link Builder#staticUrlPrefix}).
     *
     * @return the {@code staticUrlPrefix} setting (see {@link Builder#staticUrlPrefix})
     */
    public String staticUrlPrefix() {
        return staticUrlPrefix;
    }

    /**
     * The {@code staticHandlerClass} setting (see {@link Builder#staticHandlerClass}).
     *
     * @return the {@code staticHandlerClass} setting (see {@link Builder#staticHandlerClass})
     */
    public Class<? extends StaticFileHandler> staticHandlerClass() {
        return staticHandlerClass;
    }

    /**
     * The {@code staticHandlerArgs} setting (see {@link Builder#staticHandlerArgs}).
     *
     * @return the {@code staticHandlerArgs} setting (see {@link Builder#staticHandlerArgs})
     */
    public Map<String, Object> staticHandlerArgs() {
        return staticHandlerArgs;
    }

    /**
     * The {@code staticHashCache} setting (see {@link Builder#staticHashCache}).
     *
     * @return the {@code staticHashCache} setting (see {@link Builder#staticHashCache})
     */
    public boolean staticHashCache() {
        return staticHashCache;
    }

    /** Collects settings; not thread-safe. */
    public static final class Builder {
        private boolean debug;
        private Boolean serveTraceback;
        private Boolean autoreload;
        private boolean compressResponse;
        private Class<? extends RequestHandler> defaultHandlerClass;
        private Supplier<? extends RequestHandler> defaultHandler;
        private Map<String, Object> defaultHandlerArgs = Map.of();
        private boolean jsonErrors;
        private Consumer<RequestHandler> logFunction;
        private io.gale.metrics.GaleMetrics metrics;
        private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
        private FormLimits formLimits = FormLimits.DEFAULTS;
        private boolean virtualThreads;
        private int maxVirtualThreadRequests = DEFAULT_MAX_VIRTUAL_THREAD_REQUESTS;
        private int virtualThreadQueueSize = -1;
        private Duration virtualThreadAdmissionTimeout = DEFAULT_VIRTUAL_THREAD_ADMISSION_TIMEOUT;
        private String cookieSecret;
        private Map<Integer, String> cookieSecrets;
        private Integer keyVersion;
        private boolean xsrfCookies;
        private String xsrfCookieName = "_xsrf";
        private Consumer<SetCookie.Builder> xsrfCookieKwargs = c -> { };
        private String loginUrl;
        // locale
        private Locales locales = Locales.defaults();
        private Path templatePath;
        private TemplateEngine templateEngine;
        private boolean autoescape = true;
        private Boolean compiledTemplateCache;
        private Map<String, Class<? extends UIModule>> uiModules = Map.of();
        private Map<String, UIMethod> uiMethods = Map.of();
        private Path staticPath;
        private String staticUrlPrefix = "/static/";
        private Class<? extends StaticFileHandler> staticHandlerClass = StaticFileHandler.class;
        private Map<String, Object> staticHandlerArgs = Map.of();
        private Boolean staticHashCache;

        private Builder() {
        }

        /**
         * Development mode; default false. Implies {@link #serveTraceback} and {@link #autoreload}
         * and turns {@link #compiledTemplateCache} and {@link #staticHashCache} off, unless those
         * are set.
         *
         * @param debug true for debug
         * @return this builder
         */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /**
         * Stack traces in error pages (never in production); default = {@code debug}.
         *
         * @param serveTraceback true for serve traceback
         * @return this builder
         */
        public Builder serveTraceback(boolean serveTraceback) {
            this.serveTraceback = serveTraceback;
            return this;
        }

        /**
         * Restart the application when its classes change (Tornado's {@code autoreload}); default
         * = {@code debug}. {@link Application#listen} then makes the process the dev-mode
         * supervisor and runs the application in a child JVM that is replaced on every change
         * (see {@link io.gale.autoreload.Autoreload}). It acts only when {@code listen} is called
         * on the main thread from a {@code main} method, never under a test runner;
         * {@code -Dgale.autoreload=false} turns it off.
         *
         * @param autoreload true for autoreload
         * @return this builder
         */
        public Builder autoreload(boolean autoreload) {
            this.autoreload = autoreload;
            return this;
        }

        /**
         * Gzip responses of compressible types (text/*, JSON, JavaScript, XML, {@code +xml},
         * {@code +json}) of at least 1024 bytes, or streamed, to clients that accept it;
         * default false (Tornado's {@code compress_response}).
         *
         * @param compressResponse true for compress response
         * @return this builder
         */
        public Builder compressResponse(boolean compressResponse) {
            this.compressResponse = compressResponse;
            return this;
        }

        /**
         * Handler for unmatched requests (Tornado's {@code default_handler_class}); default: a 404 page.
         *
         * @param handlerClass the default handler class
         * @return this builder
         */
        public Builder defaultHandlerClass(Class<? extends RequestHandler> handlerClass) {
            this.defaultHandlerClass = handlerClass;
            return this;
        }

        /**
         * Handler factory for unmatched requests, called per request (typed construction, as
         * {@link Route#url(String, Supplier)}); default: a 404 page. Excludes
         * {@link #defaultHandlerClass}.
         *
         * @param factory the default handler
         * @return this builder
         */
        public Builder defaultHandler(Supplier<? extends RequestHandler> factory) {
            this.defaultHandler = factory;
            return this;
        }

        /**
         * Every error answered as JSON (RFC 9457 problem details, {@code application/problem+json}:
         * {@code {"status":404,"title":"Not Found","detail":"..."}}) instead of an HTML page: handler
         * errors, unmatched paths, the 405/413/400/503 the framework answers, and the errors the HTTP
         * connection answers itself (a malformed request). Default false. A handler's own
         * {@code writeError} still wins.
         *
         * @param jsonErrors true for JSON errors
         * @return this builder
         */
        public Builder jsonErrors(boolean jsonErrors) {
            this.jsonErrors = jsonErrors;
            return this;
        }

        /**
         * Init arguments of {@link #defaultHandlerClass} or {@link #defaultHandler}; default none.
         *
         * @param args the default handler args
         * @return this builder
         */
        public Builder defaultHandlerArgs(Map<String, Object> args) {
            this.defaultHandlerArgs = Objects.requireNonNull(args, "args");
            return this;
        }

        /**
         * Replaces the access log (Tornado's {@code log_function}), called once per finished
         * request on the request's thread. Default: one line on the SLF4J logger
         * {@code gale.access}: {@code 200 GET /path (10.0.0.1) 1.23ms}, at INFO below 400, WARN
         * below 500, ERROR from 500.
         *
         * @param logFunction the log function
         * @return this builder
         */
        public Builder logFunction(Consumer<RequestHandler> logFunction) {
            this.logFunction = logFunction;
            return this;
        }

        /**
         * Records requests by route pattern and status class, latency, connections, bytes, loop
         * lag and virtual-thread admission into {@code metrics} (see
         * {@link io.gale.metrics.GaleMetrics}). Default null: nothing is recorded, and serving
         * pays nothing for it.
         *
         * @param metrics the metrics
         * @return this builder
         */
        public Builder metrics(io.gale.metrics.GaleMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /**
         * Largest request body a handler buffers (all but {@link StreamRequestBody} handlers); a
         * larger one is answered 413. Default 100 MiB.
         *
         * <p>The one body-limit rule: every request body is held to one limit, its exchange's
         * ({@link io.gale.http.HttpExchange#maxBodySize()}), which answers 413 before the body
         * is read when the declared length is over it (so before {@code 100 Continue}), and as
         * soon as a chunked or decompressed body passes it. The limit starts at the server's
         * default ({@code HttpServerOptions} limits' {@code maxBodySize}); the application sets
         * this setting in its place for every request whose body it buffers, higher or lower. A
         * {@code @StreamRequestBody} handler keeps the server's default and may set its own in
         * {@code prepare()}: {@code request().exchange().setMaxBodySize(n)}.
         *
         * @param maxBodySize the max body size
         * @return this builder
         */
        public Builder maxBodySize(long maxBodySize) {
            if (maxBodySize < 0) {
                throw new IllegalArgumentException("maxBodySize < 0");
            }
            this.maxBodySize = maxBodySize;
            return this;
        }

        /**
         * Limits for parsing form bodies; default {@link FormLimits#DEFAULTS}.
         *
         * @param formLimits the form limits
         * @return this builder
         */
        public Builder formLimits(FormLimits formLimits) {
            this.formLimits = Objects.requireNonNull(formLimits, "formLimits");
            return this;
        }

        /**
         * Runs every handler on virtual threads, as if annotated {@link RunOnVirtualThread}; default false.
         *
         * @param virtualThreads true for virtual threads
         * @return this builder
         */
        public Builder virtualThreads(boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
            return this;
        }

        /**
         * Most virtual-thread requests in progress at once; default {@link #DEFAULT_MAX_VIRTUAL_THREAD_REQUESTS}.
         *
         * @param max the max virtual thread requests
         * @return this builder
         */
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
         *
         * @param size the virtual thread queue size
         * @return this builder
         */
        public Builder virtualThreadQueueSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("virtualThreadQueueSize < 0");
            }
            this.virtualThreadQueueSize = size;
            return this;
        }

        /**
         * How long a request waits for admission before 503; default 5 seconds.
         *
         * @param timeout the virtual thread admission timeout
         * @return this builder
         */
        public Builder virtualThreadAdmissionTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("negative timeout");
            }
            this.virtualThreadAdmissionTimeout = timeout;
            return this;
        }

        // ------------------------------------------------ signed cookies, XSRF, login (issue 13)

        /**
         * The secret of signed cookies and other {@link SignedValues} (Tornado's
         * {@code cookie_secret}): at least 32 bytes of randomness, kept out of the source code.
         * Default none (signed cookies then throw). A shorter secret is refused when the settings
         * are built.
         *
         * @param secret the cookie secret
         * @return this builder
         */
        public Builder cookieSecret(String secret) {
            this.cookieSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /**
         * Versioned secrets for key rotation (Tornado's {@code cookie_secret} dict): values are
         * signed with {@link #keyVersion}'s secret and read with the secret of the version they
         * name. Instead of {@link #cookieSecret}.
         *
         * @param secrets the cookie secrets
         * @return this builder
         */
        public Builder cookieSecrets(Map<Integer, String> secrets) {
            this.cookieSecrets = Map.copyOf(secrets);
            return this;
        }

        /**
         * The version of {@link #cookieSecrets} that signs new values (Tornado's {@code key_version}).
         *
         * @param keyVersion the key version
         * @return this builder
         */
        public Builder keyVersion(int keyVersion) {
            this.keyVersion = keyVersion;
            return this;
        }

        /**
         * Checks an XSRF token on every POST, PUT, PATCH and DELETE (Tornado's
         * {@code xsrf_cookies}); pages put {@link RequestHandler#xsrfFormHtml()} in their forms.
         * Default false.
         *
         * @param xsrfCookies true for XSRF cookies
         * @return this builder
         */
        public Builder xsrfCookies(boolean xsrfCookies) {
            this.xsrfCookies = xsrfCookies;
            return this;
        }

        /**
         * The XSRF cookie's name; default {@code _xsrf} (for example {@code __Host-xsrf}, with Secure).
         *
         * @param name the XSRF cookie name
         * @return this builder
         */
        public Builder xsrfCookieName(String name) {
            this.xsrfCookieName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Attributes of the XSRF cookie (Tornado's {@code xsrf_cookie_kwargs}), applied after the
         * defaults ({@code Path=/}; {@code Expires} in 30 days when a user is logged in):
         * {@code c -> c.secure(true).sameSite(SetCookie.SameSite.STRICT)}. Default none.
         *
         * @param kwargs the XSRF cookie kwargs
         * @return this builder
         */
        public Builder xsrfCookieKwargs(Consumer<SetCookie.Builder> kwargs) {
            this.xsrfCookieKwargs = Objects.requireNonNull(kwargs, "kwargs");
            return this;
        }

        /**
         * Where {@link Authenticated} sends visitors who are not logged in (Tornado's {@code login_url}).
         *
         * @param loginUrl the login URL
         * @return this builder
         */
        public Builder loginUrl(String loginUrl) {
            this.loginUrl = loginUrl;
            return this;
        }

        private SignedValues signedValues() {
            if (cookieSecret != null && cookieSecrets != null) {
                throw new IllegalArgumentException("set cookieSecret or cookieSecrets, not both");
            }
            if (cookieSecrets != null) {
                if (keyVersion == null) {
                    throw new IllegalArgumentException("cookieSecrets needs keyVersion: the version that signs new values");
                }
                return SignedValues.of(cookieSecrets, keyVersion);
            }
            if (keyVersion != null) {
                throw new IllegalArgumentException("keyVersion applies to cookieSecrets only");
            }
            return cookieSecret == null ? null : SignedValues.of(cookieSecret);
        }

        /**
         * The locales the application supports, with their translations and default locale
         * (what Tornado's {@code load_translations}, {@code load_gettext_translations} and
         * {@code set_default_locale} set globally):
         * {@code locales(Locales.loadTranslations(dir).withDefaultLocale("en_US"))}. Default:
         * {@link Locales#defaults()}, no translations and {@code en_US}.
         *
         * @param locales the locales
         * @return this builder
         */
        public Builder locales(Locales locales) {
            this.locales = Objects.requireNonNull(locales, "locales");
            return this;
        }

        // --------------------------------------------------------------- templates (issue 12)

        /**
         * The directory of templates for {@code render} (Tornado's {@code template_path}); default
         * none: templates come from the class path folder {@code templates}
         * ({@code src/main/resources/templates}).
         *
         * @param templatePath the template path
         * @return this builder
         */
        public Builder templatePath(Path templatePath) {
            this.templatePath = templatePath;
            return this;
        }

        /**
         * The template engine (Tornado's {@code template_loader}), replacing the default Pebble
         * engine; the settings {@code templatePath}, {@code autoescape} and
         * {@code compiledTemplateCache} are then the engine's business. Default null.
         *
         * @param engine the template engine
         * @return this builder
         */
        public Builder templateEngine(TemplateEngine engine) {
            this.templateEngine = engine;
            return this;
        }

        /**
         * Escapes every {@code {{ }}} of every template unless marked raw; default true. A
         * template can switch it off for a part with {@code {% autoescape false %}}.
         *
         * @param autoescape true for autoescape
         * @return this builder
         */
        public Builder autoescape(boolean autoescape) {
            this.autoescape = autoescape;
            return this;
        }

        /**
         * Keeps templates compiled once (Tornado's {@code compiled_template_cache}); default
         * {@code !debug}: in debug mode every render re-reads its templates, so an edit shows on
         * the next request.
         *
         * @param cache true for compiled template cache
         * @return this builder
         */
        public Builder compiledTemplateCache(boolean cache) {
            this.compiledTemplateCache = cache;
            return this;
        }

        /**
         * UI modules by name, for {@code {% module Name(args) %}} (Tornado's {@code ui_modules});
         * default none besides the built-in {@code Template} and {@code linkify}.
         *
         * @param modules the UI modules
         * @return this builder
         */
        public Builder uiModules(Map<String, Class<? extends UIModule>> modules) {
            this.uiModules = Objects.requireNonNull(modules, "modules");
            return this;
        }

        /**
         * Template functions with access to the handler, by name (Tornado's {@code ui_methods}); default none.
         *
         * @param methods the UI methods
         * @return this builder
         */
        public Builder uiMethods(Map<String, UIMethod> methods) {
            this.uiMethods = Objects.requireNonNull(methods, "methods");
            return this;
        }

        // ---- static files

        /**
         * Serves this directory (Tornado's {@code static_path}): the application routes
         * {@code staticUrlPrefix + "(.*)"}, {@code /favicon.ico} and {@code /robots.txt} to
         * {@link #staticHandlerClass}, ahead of its own routes, and
         * {@link RequestHandler#staticUrl} builds versioned URLs. Default none.
         *
         * @param staticPath the static path
         * @return this builder
         */
        public Builder staticPath(Path staticPath) {
            this.staticPath = staticPath;
            return this;
        }

        /**
         * URL prefix of the static files; default {@code "/static/"}. Must start and end with {@code /}.
         *
         * @param prefix the static URL prefix
         * @return this builder
         */
        public Builder staticUrlPrefix(String prefix) {
            if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
                throw new IllegalArgumentException("staticUrlPrefix must start and end with /: " + prefix);
            }
            this.staticUrlPrefix = prefix;
            return this;
        }

        /**
         * The handler of the static routes, and whose {@code makeStaticUrl} builds URLs; default {@link StaticFileHandler}.
         *
         * @param handlerClass the static handler class
         * @return this builder
         */
        public Builder staticHandlerClass(Class<? extends StaticFileHandler> handlerClass) {
            this.staticHandlerClass = Objects.requireNonNull(handlerClass, "handlerClass");
            return this;
        }

        /**
         * Init arguments of the static routes (e.g. {@code "defaultFilename"}); {@code "path"} is added. Default none.
         *
         * @param args the static handler args
         * @return this builder
         */
        public Builder staticHandlerArgs(Map<String, Object> args) {
            this.staticHandlerArgs = Objects.requireNonNull(args, "args");
            return this;
        }

        /**
         * Remember each static file's content hash once computed (Tornado's
         * {@code static_hash_cache}); off, it is computed again each time a URL or ETag needs it,
         * so an edited file gets a new version at once. Default: {@code !debug}.
         *
         * @param staticHashCache true for static hash cache
         * @return this builder
         */
        public Builder staticHashCache(boolean staticHashCache) {
            this.staticHashCache = staticHashCache;
            return this;
        }

        /**
         * Builds the {@code ApplicationSettings}.
         *
         * @return the application settings
         */
        public ApplicationSettings build() {
            return new ApplicationSettings(this);
        }
    }
}
