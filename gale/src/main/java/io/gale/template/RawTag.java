package io.gale.template;

import io.pebbletemplates.pebble.extension.NodeVisitor;
import io.pebbletemplates.pebble.lexer.Token;
import io.pebbletemplates.pebble.lexer.TokenStream;
import io.pebbletemplates.pebble.node.AbstractRenderableNode;
import io.pebbletemplates.pebble.node.RenderableNode;
import io.pebbletemplates.pebble.node.expression.Expression;
import io.pebbletemplates.pebble.parser.Parser;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import java.io.IOException;
import java.io.Writer;

/**
 * Tornado's {@code {% raw expr %}}: prints the expression without escaping, for templates
 * ported from Tornado ({@code {{ expr | raw }}} is the Pebble spelling of the same).
 */
final class RawTag implements TokenParser {
    @Override
    public String getTag() {
        return "raw";
    }

    @Override
    public RenderableNode parse(Token token, Parser parser) {
        TokenStream stream = parser.getStream();
        stream.next();
        Expression<?> expression = parser.getExpressionParser().parseExpression();
        stream.expect(Token.Type.EXECUTE_END);
        return new Node(token.getLineNumber(), expression);
    }

    private static final class Node extends AbstractRenderableNode {
        private final Expression<?> expression;

        Node(int line, Expression<?> expression) {
            super(line);
            this.expression = expression;
        }

        @Override
        public void render(PebbleTemplateImpl self, Writer writer, EvaluationContextImpl context) throws IOException {
            Object value = expression.evaluate(self, context);
            if (value != null) {
                writer.write(value.toString());
            }
        }

        @Override
        public void accept(NodeVisitor visitor) {
            visitor.visit(this);
        }
    }
}
