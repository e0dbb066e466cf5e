package io.gale.template;

import io.gale.escape.Escape;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.pebbletemplates.pebble.utils.StringUtils;
import java.util.Map;

/**
 * Pebble's {@code escape} filter as Gale runs it (the autoescaper calls it on every
 * {@code {{ }}}): HTML with {@link Escape#xhtmlEscape}, so templates and {@code Escape} follow one
 * rule; {@link SafeHtml} and Pebble's SafeString pass unescaped; the other strategies
 * ({@code js}, {@code css}, {@code url_param}, {@code json}) are Pebble's. It extends Pebble's
 * filter because Pebble hands SafeString values unchanged only to that class.
 */
final class EscapeFilter extends io.pebbletemplates.pebble.extension.escaper.EscapeFilter {
    @Override
    public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
            int lineNumber) {
        if (input == null || input instanceof SafeString) {
            return input;
        }
        if (input instanceof SafeHtml html) {
            return new SafeString(html.html());
        }
        Object strategy = args.get("strategy");
        if (strategy == null || "html".equals(strategy)) {
            return new SafeString(Escape.xhtmlEscape(StringUtils.toString(input)));
        }
        return super.apply(input, args, self, context, lineNumber);
    }
}
