package io.gale.web;

import io.gale.template.PebbleTemplateEngine;
import io.gale.template.TemplateEngine;
import io.gale.template.TemplateFunction;
import io.gale.template.TemplateNamespace;
import io.gale.template.UIModule;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * An application's templates: what {@code RequestHandler.render}, {@code renderString} and
 * {@code getTemplateNamespace} delegate to. Holds the application's template functions
 * ({@link HandlerFunctions}), its UI module classes, and one engine per template path, made by
 * the first handler that needs it ({@code createTemplateLoader}, Tornado's per-path loader
 * cache) and given the functions once.
 *
 * <p>Per render: a namespace of a few entries (a small HashMap), the engine's output in one
 * StringBuilder; {@code render} then inserts the UI modules' resources (only when the page used
 * modules) and finishes with the page. Thread-safe: created once per application, used by
 * every loop.
 */
final class TemplateRenderer {
    /** The engine key of handlers without a template path (class path templates). */
    private static final Object CLASS_PATH = new Object();

    private final Map<String, TemplateFunction> functions;
    private final Map<String, Supplier<? extends UIModule>> modules;
    private final ConcurrentHashMap<Object, TemplateEngine> engines = new ConcurrentHashMap<>();

    TemplateRenderer(ApplicationSettings settings) {
        this.functions = HandlerFunctions.table(settings.uiMethods());
        Map<String, Supplier<? extends UIModule>> m = new HashMap<>();
        m.put("Template", BuiltInModules.TemplateModule::new);
        m.put("linkify", BuiltInModules.LinkifyModule::new);
        settings.uiModules().forEach((name, type) -> m.put(name, constructor(type)));
        this.modules = Map.copyOf(m);
    }

    /** The default engine of {@code createTemplateLoader}: Pebble over {@code templatePath} (or the class path). */
    static TemplateEngine defaultEngine(ApplicationSettings settings, Path templatePath) {
        if (settings.templateEngine() != null) {
            return settings.templateEngine();
        }
        return PebbleTemplateEngine.builder()
                .templatePath(templatePath)
                .autoescape(settings.autoescape())
                .cache(settings.compiledTemplateCache())
                .build();
    }

    /** Tornado's namespace: {@code handler}, {@code request}, {@code currentUser}, {@code locale} (functions come from the engine). */
    TemplateNamespace namespace(RequestHandler h) {
        TemplateNamespace ns = new TemplateNamespace(h, 8);
        ns.put("handler", h);
        ns.put("request", h.request());
        ns.put("currentUser", h.currentUser());
        ns.put("locale", h.locale()); // eager, as Tornado's namespace: decided once per request
        return ns;
    }

    String renderString(RequestHandler h, String name, Map<String, ?> model) {
        TemplateNamespace ns = h.getTemplateNamespace();
        if (model != null && !model.isEmpty()) {
            ns.putAll(model);
        }
        return engine(h).renderToString(name, ns);
    }

    CompletableFuture<Void> render(RequestHandler h, String name, Map<String, ?> model) {
        if (h.isFinished()) {
            throw new IllegalStateException("Cannot render() after finish()");
        }
        String html = renderString(h, name, model);
        PageModules used = h.pageModules(false);
        if (used != null) {
            html = used.insertResources(html);
        }
        return h.finish(html);
    }

    private TemplateEngine engine(RequestHandler h) {
        Path path = h.getTemplatePath();
        Object key = path == null ? CLASS_PATH : path;
        TemplateEngine engine = engines.get(key);
        if (engine == null) {
            engine = engines.computeIfAbsent(key, k -> h.createTemplateLoader(path).withFunctions(functions));
        }
        return engine;
    }

    /**
     * A new instance of the module {@code name}.
     *
     * @throws IllegalArgumentException if there is no such module
     */
    UIModule newModule(String name) {
        Supplier<? extends UIModule> s = modules.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no UI module named " + name + " (uiModules: " + modules.keySet() + ")");
        }
        return s.get();
    }

    private static Supplier<UIModule> constructor(Class<? extends UIModule> type) {
        Constructor<? extends UIModule> c;
        try {
            c = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("UI module " + type.getName() + " needs a public no-argument constructor");
        }
        return () -> {
            try {
                return c.newInstance();
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("UI module " + type.getName() + " failed to start", e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create UI module " + type.getName(), e);
            }
        };
    }
}
