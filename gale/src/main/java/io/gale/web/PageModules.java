package io.gale.web;

import io.gale.escape.Escape;
import io.gale.template.TemplateArgs;
import io.gale.template.UIModule;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The UI modules one request used (Tornado's {@code _active_modules}): one instance per module
 * name, created on first use, and the resources they bring, put into the page once by
 * {@link #insertResources}. Belongs to one handler; used on its thread only.
 */
final class PageModules {
    private final RequestHandler handler;
    private final TemplateRenderer renderer;
    private final Map<String, UIModule> active = new LinkedHashMap<>(4);

    PageModules(RequestHandler handler, TemplateRenderer renderer) {
        this.handler = handler;
        this.renderer = renderer;
    }

    /** Renders the module {@code name} with {@code args}, whose first positional argument is that name. */
    String render(String name, TemplateArgs args) throws Exception {
        UIModule module = active.get(name);
        if (module == null) {
            module = renderer.newModule(name);
            module.attach(handler);
            active.put(name, module);
        }
        List<Object> rest = args.positional().subList(1, args.size());
        return module.render(new TemplateArgs(rest, args.named()));
    }

    /**
     * {@code html} with the modules' resources: CSS files, embedded CSS and head HTML before the
     * last {@code </head>}, JavaScript files, embedded JavaScript and body HTML before the last
     * {@code </body>} (Tornado's order); at the start or end when the page has no such tag.
     */
    String insertResources(String html) {
        Set<String> jsFiles = new LinkedHashSet<>();
        Set<String> cssFiles = new LinkedHashSet<>();
        StringBuilder js = new StringBuilder();
        StringBuilder css = new StringBuilder();
        StringBuilder heads = new StringBuilder();
        StringBuilder bodies = new StringBuilder();
        for (UIModule m : active.values()) {
            appendLine(js, m.embeddedJavascript());
            appendLine(css, m.embeddedCss());
            jsFiles.addAll(m.javascriptFiles());
            cssFiles.addAll(m.cssFiles());
            if (m.htmlHead() != null) {
                heads.append(m.htmlHead());
            }
            if (m.htmlBody() != null) {
                bodies.append(m.htmlBody());
            }
        }
        StringBuilder head = new StringBuilder();
        if (!cssFiles.isEmpty()) {
            for (String f : cssFiles) {
                head.append("<link href=\"").append(Escape.xhtmlEscape(url(f)))
                        .append("\" type=\"text/css\" rel=\"stylesheet\"/>");
            }
            head.append('\n');
        }
        if (!css.isEmpty()) {
            head.append("<style type=\"text/css\">\n").append(css).append("\n</style>\n");
        }
        if (!heads.isEmpty()) {
            head.append(heads).append('\n');
        }
        StringBuilder body = new StringBuilder();
        if (!jsFiles.isEmpty()) {
            for (String f : jsFiles) {
                body.append("<script src=\"").append(Escape.xhtmlEscape(url(f)))
                        .append("\" type=\"text/javascript\"></script>");
            }
            body.append('\n');
        }
        if (!js.isEmpty()) {
            body.append("<script type=\"text/javascript\">\n//<![CDATA[\n").append(js).append("\n//]]>\n</script>\n");
        }
        if (!bodies.isEmpty()) {
            body.append(bodies).append('\n');
        }
        if (head.isEmpty() && body.isEmpty()) {
            return html;
        }
        StringBuilder page = new StringBuilder(html.length() + head.length() + body.length()).append(html);
        int bodyEnd = html.lastIndexOf("</body>");
        int headEnd = html.lastIndexOf("</head>");
        // insert at the later position first, so the earlier index stays valid
        if (bodyEnd < 0) {
            page.append(body);
        } else if (bodyEnd > headEnd) {
            page.insert(bodyEnd, body);
        }
        page.insert(Math.max(headEnd, 0), head);
        if (bodyEnd >= 0 && bodyEnd <= headEnd) {
            page.insert(bodyEnd, body);
        }
        return page.toString();
    }

    private static void appendLine(StringBuilder sb, String text) {
        if (text != null) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(text);
        }
    }

    /**
     * A resource path as a URL: absolute ones ({@code /x}, {@code http:}, {@code https:}) as they
     * are, relative ones through {@link RequestHandler#staticUrl} (versioned) when the application
     * serves a {@code staticPath}, else under the static URL prefix.
     */
    private String url(String path) {
        if (path.startsWith("/") || path.startsWith("http:") || path.startsWith("https:")) {
            return path;
        }
        return handler.settings().staticPath() != null ? handler.staticUrl(path)
                : handler.settings().staticUrlPrefix() + path;
    }
}
