package io.gale.template;

import io.gale.escape.Escape;
import io.gale.escape.LinkifyOptions;
import java.util.List;
import java.util.Map;

/**
 * The escape helpers every template can call (Tornado's template namespace): {@code escape} and
 * {@code xhtmlEscape}, {@code urlEscape(value, plus=true)}, {@code jsonEncode},
 * {@code squeeze} and {@code linkify(text, shorten=, extraParams=, requireProtocol=,
 * permittedProtocols=)}, after {@link Escape}.
 *
 * <p>{@code escape}/{@code xhtmlEscape} and {@code linkify} return {@link SafeHtml} (their output
 * is already HTML), so autoescape does not escape it twice. {@code jsonEncode} returns plain
 * text, escaped like any value: inside a {@code <script>} element write
 * {@code {{ jsonEncode(data) | raw }}}, as Tornado's {@code {% raw json_encode(data) %}}.
 */
public final class EscapeFunctions {
    private EscapeFunctions() {
    }

    private static final TemplateFunction XHTML_ESCAPE = (ns, a) -> SafeHtml.of(Escape.xhtmlEscape(text(a.get(0))));

    private static final Map<String, TemplateFunction> ALL = Map.of(
            "escape", XHTML_ESCAPE,
            "xhtmlEscape", XHTML_ESCAPE,
            "urlEscape", (ns, a) -> Escape.urlEscape(text(a.get(0)), a.flag("plus", a.size() < 2
                    || Boolean.parseBoolean(String.valueOf(a.get(1))))),
            "jsonEncode", (ns, a) -> Escape.jsonEncode(a.get(0)),
            "squeeze", (ns, a) -> Escape.squeeze(text(a.get(0))),
            "linkify", (ns, a) -> SafeHtml.of(Escape.linkify(text(a.get(0)), linkifyOptions(a))));

    /**
     * The helpers by name (immutable).
     *
     * @return the helpers by name (immutable)
     */
    public static Map<String, TemplateFunction> all() {
        return ALL;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static LinkifyOptions linkifyOptions(TemplateArgs a) {
        if (a.named().isEmpty()) {
            return LinkifyOptions.DEFAULTS;
        }
        LinkifyOptions.Builder b = LinkifyOptions.builder()
                .shorten(a.flag("shorten", false))
                .requireProtocol(a.flag("requireProtocol", false));
        Object extra = a.get("extraParams", null);
        if (extra != null) {
            b.extraParams(extra.toString());
        }
        Object protocols = a.get("permittedProtocols", null);
        if (protocols instanceof List<?> list) {
            b.permittedProtocols(list.stream().map(String::valueOf).toList());
        }
        return b.build();
    }
}
