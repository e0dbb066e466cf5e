package io.gale.demos.websocket;

import io.gale.demos.DemoFiles;
import io.gale.demos.DemoOptions;
import io.gale.demos.Demos;
import io.gale.http.HttpServer;
import io.gale.ioloop.IOLoop;
import io.gale.options.Option;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import java.util.List;

/**
 * Tornado's WebSocket chat demo ({@code demos/websocket/chatdemo.py}) in Gale: a page with a
 * message list and a form ({@code templates/index.html}, static {@code chat.js} and
 * {@code chat.css}), and {@code /chatsocket}, where every message (JSON {@code {"body": "..."}})
 * gets an id and an HTML rendering ({@code templates/message.html}) and is broadcast to all
 * connected browsers as {@code {"id", "body", "html"}}; a newcomer first receives the last 200
 * messages.
 *
 * <pre>
 * ./gale-demo websocket [--port 8888] [--debug]
 * open http://localhost:8888/ in two browser windows and chat
 * </pre>
 *
 * <p>Prints {@code listening on HOST:PORT} once the socket is bound. Threading: the server runs
 * one loop per core, so sockets of one room live on different loops; {@link ChatRoom} is the
 * thread-safe meeting point.
 */
public final class WebSocketDemo {
    private WebSocketDemo() {
    }

    /** Serves the chat page (the messages arrive over the socket). */
    static final class MainHandler extends RequestHandler {
        public void get() {
            render("index.html");
        }
    }

    /** The chat application with a room of its own. */
    public static Application application() {
        return application(new ChatRoom(), false);
    }

    static Application application(ChatRoom room, boolean debug) {
        ApplicationSettings settings = ApplicationSettings.builder()
                .templatePath(DemoFiles.directory(WebSocketDemo.class, "templates"))
                .staticPath(DemoFiles.directory(WebSocketDemo.class, "static"))
                .debug(debug)
                .build();
        return new Application(List.of(
                Route.url("/", MainHandler::new),
                Route.url("/chatsocket", () -> new ChatSocketHandler(room))), settings);
    }

    /** Starts the server: {@code [--port N] [--debug]}. */
    public static void main(String[] args) throws Exception {
        serve(DemoOptions.forDemo("websocket"), args);
        IOLoop.instance().start();
    }

    /** Parses the options, listens and prints {@code listening on HOST:PORT}. */
    public static HttpServer serve(DemoOptions demo, String[] args) throws Exception {
        Option<Integer> port = demo.port(8888);
        Option<Boolean> debug = demo.parser().option("debug", Boolean.class).defaultValue(false)
                .help("re-read templates and static files on every request").define();
        demo.parseOptionsOnly(args);
        HttpServer server = demo.listen(port.get(), () -> application(new ChatRoom(), debug.get()).listen(port.get()));
        demo.out().println(Demos.listeningLine(server.localAddresses().get(0)));
        demo.out().flush();
        return server;
    }
}
