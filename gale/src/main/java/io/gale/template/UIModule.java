package io.gale.template;

import io.gale.http.HttpServerRequest;
import io.gale.web.ApplicationSettings;
import io.gale.web.RequestHandler;
import java.util.List;
import java.util.Map;

/**
 * A reusable piece of a page (Tornado's {@code UIModule}): it renders an HTML fragment and may
 * bring the CSS and JavaScript the fragment needs, which {@code RequestHandler.render} puts into
 * the page once, however often the module appears on it.
 *
 * <pre>{@code
 * public final class EntryModule extends UIModule {
 *     @Override
 *     public String render(TemplateArgs args) {
 *         return renderString("modules/entry.html", Map.of("entry", args.get(0)));
 *     }
 *
 *     @Override
 *     public List<String> cssFiles() {
 *         return List.of("entry.css");       // relative: a static URL; "/x.css" or "https://..." as is
 *     }
 * }
 * // settings:  .uiModules(Map.of("Entry", EntryModule.class))
 * // template:  {% for e in entries %}{% module Entry(e) %}{% endfor %}
 * }</pre>
 *
 * <p>Lifecycle: Gale creates one instance per module name per request, with the public no-argument
 * constructor, the first time a template of that request uses the module; {@link #render} runs
 * for every use, the resource methods once, when {@code render()} finishes the page. The class
 * must be public and, in a named module, its package exported (or opened) to {@code io.gale}.
 *
 * <p>Resources are collected from every module the request used, in the order of first use:
 * file lists de-duplicated, embedded code concatenated; CSS files, embedded CSS and
 * {@link #htmlHead} go before the page's last {@code </head>} (at the start if it has none),
 * JavaScript files, embedded JavaScript and {@link #htmlBody} before its last {@code </body>}
 * (at the end if none). {@code renderString} inserts nothing.
 *
 * <p>Threading: an instance belongs to one request and runs on its thread.
 */
public abstract class UIModule {
    private RequestHandler handler;

    /** Modules are created by Gale, one per name and request. */
    protected UIModule() {
    }

    /**
     * Binds this module to the request it renders for; called by Gale once, right after construction.
     *
     * @param handler the request handler
     * @throws IllegalStateException if already bound
     */
    public final void attach(RequestHandler handler) {
        if (this.handler != null) {
            throw new IllegalStateException("module already attached");
        }
        this.handler = handler;
    }

    /**
     * The module's HTML for one use, inserted as it is (not escaped): escape what comes from
     * users, for example by rendering a template with {@link #renderString}.
     *
     * @param args the arguments
     * @return the module's HTML for one use, inserted as it is (not escaped): escape what comes from users, for example by rendering a template with {@link #renderString}
     * @throws Exception any failure; the caller reports it
     */
    public abstract String render(TemplateArgs args) throws Exception;

    /**
     * JavaScript to put in the page once (in a {@code <script>} element before {@code </body>}); null for none.
     *
     * @return the embedded javascript
     */
    public String embeddedJavascript() {
        return null;
    }

    /**
     * JavaScript files for the page (relative paths become static URLs); none by default.
     *
     * @return the javascript files
     */
    public List<String> javascriptFiles() {
        return List.of();
    }

    /**
     * CSS to put in the page once (in a {@code <style>} element before {@code </head>}); null for none.
     *
     * @return the embedded css
     */
    public String embeddedCss() {
        return null;
    }

    /**
     * CSS files for the page (relative paths become static URLs); none by default.
     *
     * @return the css files
     */
    public List<String> cssFiles() {
        return List.of();
    }

    /**
     * HTML to put before {@code </head>} once; null for none.
     *
     * @return the HTML head
     */
    public String htmlHead() {
        return null;
    }

    /**
     * HTML to put before {@code </body>} once; null for none.
     *
     * @return the HTML body
     */
    public String htmlBody() {
        return null;
    }

    /**
     * The handler of the request being served.
     *
     * @return the handler of the request being served
     */
    protected final RequestHandler handler() {
        return handler;
    }

    /**
     * The request being served.
     *
     * @return the request being served
     */
    protected final HttpServerRequest request() {
        return handler.request();
    }

    /**
     * The request's user ({@code RequestHandler.currentUser()}).
     *
     * @return the request's user ({@code RequestHandler.currentUser()})
     */
    protected final Object currentUser() {
        return handler.currentUser();
    }

    /**
     * The application's settings.
     *
     * @return the application's settings
     */
    protected final ApplicationSettings settings() {
        return handler.settings();
    }

    /**
     * Renders a template with the handler's namespace plus {@code model} ({@code RequestHandler.renderString}).
     *
     * @param name the name
     * @param model the template's variables
     * @return the rendered string
     */
    protected final String renderString(String name, Map<String, ?> model) {
        return handler.renderString(name, model);
    }
}
