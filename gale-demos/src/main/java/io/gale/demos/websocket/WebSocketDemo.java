package io.gale.demos.websocket;

import io.gale.demos.DemoFiles;
import io.gale.demos.DemoOptions;
import io.gale.demos.DemoOperations;
import io.gale.demos.Demos;
import io.gale.metrics.GaleMetrics;
import io.gale.http.HttpServer;
import io.gale.ioloop.IOLoop;
import io.gale.options.Option;
import io.gale.pubsub.PubSub;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import io.gale.websocket.WebSocketBroadcaster;
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
 * ./gale-demo websocket [--port 8888] [--debug] [--pubsub redis://127.0.0.1:6379]
 * open http://localhost:8888/ in two browser windows and chat
 * </pre>
 *
 * <p>The room is a {@link WebSocketBroadcaster} channel: messages go to the channel and come back
 * from it to every socket. In one process the channel is in-process; with
 * {@code --pubsub redis://HOST:PORT} or {@code nats://HOST:PORT} every process on that broker
 * shares the room, so a load balancer may send each browser to any of them.
 *
 * <p>Prints {@code listening on HOST:PORT} once the socket is bound. Threading: the server runs
 * one loop per core, so sockets of one room live on different loops; the broadcaster hands each
 * message to each loop once, and the room's messages arrive on the loop given to {@link #serve}.
 */
public final class WebSocketDemo {
    /** The room's channel: the same in every process of the demo. */
    static final String CHANNEL = "gale.websocket.chat";
    /** Messages a newcomer receives first (Tornado's {@code cache_size}). */
    static final int HISTORY = 200;

    private WebSocketDemo() {
    }

    /** Serves the chat page (the messages arrive over the socket). */
    static final class MainHandler extends RequestHandler {
        public void get() {
            render("index.html");
        }
    }

    /** The chat application around the room's broadcaster. */
    static Application application(WebSocketBroadcaster rooms, boolean debug) {
        GaleMetrics metrics = new GaleMetrics();
        ApplicationSettings settings = ApplicationSettings.builder()
                .metrics(metrics)
                .templatePath(DemoFiles.directory(WebSocketDemo.class, "templates"))
                .staticPath(DemoFiles.directory(WebSocketDemo.class, "static"))
                .debug(debug)
                .build();
        Application app = new Application(List.of(
                Route.url("/", MainHandler::new),
                Route.url("/chatsocket", () -> new ChatSocketHandler(rooms))), settings);
        return DemoOperations.mount(app, metrics);
    }

    /** Starts the server: {@code [--port N] [--debug] [--pubsub URI]}. */
    public static void main(String[] args) throws Exception {
        DemoOptions demo = DemoOptions.forDemo("websocket");
        demo.drainOnTerm(serve(demo, args, IOLoop.instance()));
        IOLoop.instance().start();
    }

    /**
     * Parses the options, joins the room's channel (its messages arrive on {@code loop}, which
     * must run), listens and prints {@code listening on HOST:PORT}.
     */
    public static HttpServer serve(DemoOptions demo, String[] args, IOLoop loop) throws Exception {
        Option<Integer> port = demo.port(8888);
        Option<Boolean> debug = demo.parser().option("debug", Boolean.class).defaultValue(false)
                .help("re-read templates and static files on every request").define();
        Option<String> pubsub = demo.pubsub();
        demo.parseOptionsOnly(args);
        PubSub bus = demo.connectPubSub(pubsub.get());
        WebSocketBroadcaster rooms = new WebSocketBroadcaster(bus, HISTORY);
        rooms.open(CHANNEL, loop).join(); // the history fills even while no one of this process is in the room
        HttpServer server = demo.listen(port.get(), () -> application(rooms, debug.get()).listen(port.get()));
        demo.out().println(Demos.listeningLine(server.localAddresses().get(0)));
        demo.out().flush();
        return server;
    }
}
