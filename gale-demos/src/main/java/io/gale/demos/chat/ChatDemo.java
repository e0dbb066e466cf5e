package io.gale.demos.chat;

import io.gale.demos.DemoOptions;
import io.gale.demos.Demos;
import io.gale.http.HttpServer;
import io.gale.options.Option;
import io.gale.ioloop.IOLoop;
import io.gale.web.Application;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tornado's WebSocket chat demo ({@code demos/websocket/chatdemo.py}) in Gale: a page with a
 * message list and a form, and {@code /chatsocket}, where every message (JSON
 * {@code {"body": "..."}}) gets an id and an HTML-escaped rendering and is broadcast to all
 * connected browsers; a newcomer first receives the last 200 messages.
 *
 * <pre>
 * ./gale-demo chat [--port 8888]
 * open http://localhost:8888/ in two browser windows and chat
 * </pre>
 *
 * <p>Prints {@code listening on HOST:PORT} once the socket is bound. Threading: the server runs
 * one loop per core, so sockets of one room live on different loops; {@link ChatRoom} is the
 * thread-safe meeting point.
 */
public final class ChatDemo {
    private static final String PAGE = resource("index.html");

    private ChatDemo() {
    }

    /** Serves the chat page (static: the messages arrive over the socket). */
    static final class MainHandler extends RequestHandler {
        public void get() {
            setHeader("Content-Type", "text/html; charset=utf-8");
            write(PAGE);
        }
    }

    /** The chat application with a room of its own. */
    public static Application application() {
        return application(new ChatRoom());
    }

    static Application application(ChatRoom room) {
        return new Application(List.of(
                Route.url("/", MainHandler::new),
                Route.url("/chatsocket", () -> new ChatSocketHandler(room))));
    }

    /** Starts the server: {@code [--port N]}. */
    public static void main(String[] args) throws Exception {
        serve(DemoOptions.forDemo("chat"), args);
        IOLoop.instance().start();
    }

    /** Parses the options, listens and prints {@code listening on HOST:PORT}. */
    public static HttpServer serve(DemoOptions demo, String[] args) throws IOException {
        Option<Integer> port = demo.port(8888);
        demo.parseOptionsOnly(args);
        HttpServer server = demo.listen(port.get(), () -> application().listen(port.get()));
        demo.out().println(Demos.listeningLine(server.localAddresses().get(0)));
        demo.out().flush();
        return server;
    }

    private static String resource(String name) {
        try (InputStream in = ChatDemo.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
