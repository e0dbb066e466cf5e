package io.gale.template;

import io.pebbletemplates.pebble.error.ParserException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.NodeVisitor;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.lexer.Token;
import io.pebbletemplates.pebble.lexer.TokenStream;
import io.pebbletemplates.pebble.node.AbstractRenderableNode;
import io.pebbletemplates.pebble.node.ArgumentsNode;
import io.pebbletemplates.pebble.node.NamedArgumentNode;
import io.pebbletemplates.pebble.node.PositionalArgumentNode;
import io.pebbletemplates.pebble.node.RenderableNode;
import io.pebbletemplates.pebble.node.expression.Expression;
import io.pebbletemplates.pebble.node.expression.FunctionOrMacroInvocationExpression;
import io.pebbletemplates.pebble.parser.Parser;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tornado's {@code {% module Name(args) %}} in Pebble: parsed as a call expression, rendered by
 * calling the {@code module} function with the module's name first, output not escaped (a
 * module's fragment is HTML). Without a {@code module} function (an engine used outside an
 * application) the tag fails when rendered.
 */
final class ModuleTag implements TokenParser {
    private final TemplateFunction module;

    ModuleTag(TemplateFunction module) {
        this.module = module;
    }

    @Override
    public String getTag() {
        return "module";
    }

    @Override
    public RenderableNode parse(Token token, Parser parser) {
        TokenStream stream = parser.getStream();
        int line = token.getLineNumber();
        stream.next();
        Expression<?> call = parser.getExpressionParser().parseExpression();
        if (!(call instanceof FunctionOrMacroInvocationExpression invocation)) {
            throw new ParserException(null, "{% module %} needs a call such as Entry(entry)", line, stream.getFilename());
        }
        stream.expect(Token.Type.EXECUTE_END);
        return new Node(line, invocation.getFunctionName(), invocation.getArguments(), module);
    }

    private static final class Node extends AbstractRenderableNode {
        private final String name;
        private final ArgumentsNode args;
        private final TemplateFunction module;

        Node(int line, String name, ArgumentsNode args, TemplateFunction module) {
            super(line);
            this.name = name;
            this.args = args;
            this.module = module;
        }

        @Override
        public void render(PebbleTemplateImpl self, Writer writer, EvaluationContextImpl context) throws IOException {
            if (module == null) {
                throw new PebbleException(null, "{% module " + name + " %} outside an application (no module function)",
                        getLineNumber(), self.getName());
            }
            List<Object> positional = new ArrayList<>();
            positional.add(name);
            if (args.getPositionalArgs() != null) {
                for (PositionalArgumentNode a : args.getPositionalArgs()) {
                    positional.add(a.getValueExpression().evaluate(self, context));
                }
            }
            Map<String, Object> named = Map.of();
            if (args.getNamedArgs() != null && !args.getNamedArgs().isEmpty()) {
                named = new HashMap<>();
                for (NamedArgumentNode a : args.getNamedArgs()) {
                    named.put(a.getName(), a.getValueExpression() == null ? null
                            : a.getValueExpression().evaluate(self, context));
                }
            }
            Object html = PebbleFunction.call("module " + name, module, PebbleNamespace.of(context),
                    new TemplateArgs(positional, named), self.getName(), getLineNumber());
            if (html != null) {
                writer.write(html instanceof SafeString s ? s.toString() : html.toString());
            }
        }

        @Override
        public void accept(NodeVisitor visitor) {
            visitor.visit(this);
        }
    }
}
