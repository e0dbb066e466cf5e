package io.gale.demos.chat;

import io.gale.demos.DemoFiles;
import io.gale.demos.DemoOptions;
import io.gale.demos.DemoOperations;
import io.gale.demos.Demos;
import io.gale.metrics.GaleMetrics;
import io.gale.metrics.micrometer.PrometheusEndpoint;
import io.gale.http.HttpServer;
import io.gale.ioloop.IOLoop;
import io.gale.options.Option;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.Route;
import java.util.List;

/**
 * Tornado's long-polling chat demo ({@code demos/chat/chatdemo.py}) in Gale: a page rendered from
 * a template with the last messages and a form; the page's script posts new messages and keeps
 * one long poll open for the next ones, which every waiting browser receives the moment one is
 * posted.
 *
 * <pre>
 * ./gale-demo chat [--port 8888] [--debug] [--pubsub redis://127.0.0.1:6379]
 * open http://localhost:8888/ in two browser windows and chat
 * </pre>
 *
 * <p>With {@code --pubsub redis://HOST:PORT} or {@code nats://HOST:PORT} every chat process on
 * that broker shares one room ({@link ChatRoom}): a message posted to any of them wakes the long
 * polls of all, so a load balancer may send each request to any process (no sticky sessions:
 * the XSRF cookie needs no server state either).
 *
 * <table>
 * <caption>URLs (Tornado's)</caption>
 * <tr><th>URL</th><th>what</th></tr>
 * <tr><td>{@code GET /}</td><td>the page ({@code templates/index.html}, static {@code chat.js} and {@code chat.css})</td></tr>
 * <tr><td>{@code POST /a/message/new}</td><td>field {@code body}: posts a message, answers it as
 *     {@code {"id", "body", "html"}} (or redirects to {@code next} for a form without script)</td></tr>
 * <tr><td>{@code POST /a/message/updates}</td><td>field {@code cursor}: waits for the messages after
 *     it, answers {@code {"messages": [...]}}</td></tr>
 * </table>
 *
 * <p>Both POSTs are XSRF-protected ({@code xsrfCookies}): the form carries the {@code _xsrf}
 * field, the script sends the same token in the {@code X-XSRFToken} header.
 *
 * <table>
 * <caption>Limits</caption>
 * <tr><th>what</th><th>limit</th><th>when exceeded</th></tr>
 * <tr><td>messages kept</td><td>200 ({@link MessageBuffer#CACHE_SIZE})</td><td>the oldest is dropped</td></tr>
 * <tr><td>request body (a message)</td><td>64 KiB ({@link #MAX_BODY_SIZE})</td><td>413</td></tr>
 * <tr><td>waiting long polls</td><td>as many as the server's connections (one each)</td><td>see
 *     {@code HttpServerOptions}; a poll waits as long as its client stays</td></tr>
 * </table>
 *
 * <p>Prints {@code listening on HOST:PORT} once the socket is bound. Threading: the server runs
 * one loop per core; the room's buffer is the thread-safe meeting point of the long polls, and is
 * filled on the loop given to {@link #serve} ({@link IOLoop#instance()}, which {@link #main}
 * runs, for the command line).
 */
public final class ChatDemo {
    /** Largest request body: a chat line, not a file. */
    static final int MAX_BODY_SIZE = 64 * 1024;

    private ChatDemo() {
    }

    /**
     * The application around {@code room}: Tornado's settings (templates and static files beside
     * the code, XSRF cookies), debug mode re-reading templates and static files on every request.
     */
    static Application application(ChatRoom room, boolean debug) {
        return application(room, debug, new GaleMetrics());
    }

    /**
     * The application, recording into {@code metrics}, with the operations endpoints:
     * {@code /metrics} (Prometheus text), {@code /healthz} and {@code /readyz}.
     */
    static Application application(ChatRoom room, boolean debug, GaleMetrics metrics) {
        ApplicationSettings settings = ApplicationSettings.builder()
                .metrics(metrics)
                .templatePath(DemoFiles.directory(ChatDemo.class, "templates"))
                .staticPath(DemoFiles.directory(ChatDemo.class, "static"))
                .xsrfCookies(true)
                .maxBodySize(MAX_BODY_SIZE)
                .debug(debug)
                .build();
        Application app = new Application(List.of(
                Route.url("/", () -> new MainHandler(room)),
                Route.url("/a/message/new", () -> new MessageNewHandler(room)),
                Route.url("/a/message/updates", () -> new MessageUpdatesHandler(room))), settings);
        // The demo's own gauge beside Gale's meters: how many long polls wait (one per open page).
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry = PrometheusEndpoint.registry(metrics);
        io.micrometer.core.instrument.Gauge.builder("chat.polls.waiting", room.buffer(), MessageBuffer::waiting)
                .description("long polls waiting for a message").strongReference(true).register(registry);
        return DemoOperations.mount(app, registry);
    }

    /** Starts the server: {@code [--port N] [--debug] [--pubsub URI]}. */
    public static void main(String[] args) throws Exception {
        DemoOptions demo = DemoOptions.forDemo("chat");
        demo.drainOnTerm(serve(demo, args, IOLoop.instance()));
        IOLoop.instance().start();
    }

    /**
     * Parses the options, opens the room (its buffer filled on {@code loop}, which must run),
     * listens and prints {@code listening on HOST:PORT}.
     */
    public static HttpServer serve(DemoOptions demo, String[] args, IOLoop loop) throws Exception {
        Option<Integer> port = demo.port(8888);
        Option<Boolean> debug = demo.parser().option("debug", Boolean.class).defaultValue(false)
                .help("re-read templates and static files on every request").define();
        Option<String> pubsub = demo.pubsub();
        demo.parseOptionsOnly(args);
        ChatRoom room = ChatRoom.open(demo.connectPubSub(pubsub.get()), loop).join();
        HttpServer server = demo.listen(port.get(), () -> application(room, debug.get()).listen(port.get()));
        demo.out().println(Demos.listeningLine(server.localAddresses().get(0)));
        demo.out().flush();
        return server;
    }
}
