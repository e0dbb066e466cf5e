package io.gale.demos.httpbin;

import io.gale.demos.DemoOptions;
import io.gale.demos.DemoOperations;
import io.gale.demos.DemoTls;
import io.gale.demos.Demos;
import io.gale.metrics.GaleMetrics;
import io.gale.ioloop.IOLoop;
import io.gale.options.Option;
import java.io.IOException;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import java.nio.file.Path;
import io.gale.web.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * <a href="https://httpbin.org">httpbin.org</a>'s HTTP request and response service, served by
 * Gale with httpbin's JSON shapes: a test bed for HTTP clients and a tour of Gale's handler styles.
 *
 * <pre>
 * ./gale-demo httpbin [--port 8888] [--address 127.0.0.1] [--http2=false] [--certfile cert.pem --keyfile key.pem]
 * curl http://localhost:8888/get?a=1                  # {"args":{"a":"1"},"headers":{...},"origin":"127.0.0.1","url":"..."}
 * curl -d x=1 http://localhost:8888/post              # form, data, files, json ...
 * curl -i http://localhost:8888/status/200:0.9,500:0.1
 * curl -N http://localhost:8888/drip?duration=3&amp;numbytes=6
 * curl -H 'Range: bytes=0-9' http://localhost:8888/range/100
 * websocat 'ws://localhost:8888/websocket/echo?max_fragment_size=1024&amp;max_message_size=65536'
 * curl --http2-prior-knowledge http://localhost:8888/get   # h2c; plain --http2 upgrades with Upgrade: h2c
 * </pre>
 *
 * <p>Endpoints: {@code /get /post /put /patch /delete /anything(/...) /headers /ip /user-agent
 * /status/{codes} /redirect/{n} /redirect-to /relative-redirect/{n} /absolute-redirect/{n}
 * /cookies /cookies/set /cookies/delete /basic-auth/{user}/{passwd}
 * /hidden-basic-auth/{user}/{passwd} /bearer /digest-auth/{qop}/{user}/{passwd}[/{algorithm}[/{stale_after}]]
 * /gzip /deflate /brotli /image /image/png|jpeg|webp|svg /stream/{n} /stream-bytes/{n}
 * /bytes/{n} /range/{n} /drip /delay/{n} /base64/{value} /uuid /response-headers /cache
 * /cache/{n} /etag/{etag} /html /json /xml /robots.txt /deny /encoding/utf8 /forms/post
 * /links/{n}/{offset} /websocket/echo}. Bad input is answered 400 with {@code {"error": "..."}}.
 * Every answer carries httpbin's CORS headers, and OPTIONS on any route is a CORS preflight
 * answer (see {@link HttpBinHandler}).
 *
 * <p>Handler styles: most endpoints are synchronous (they run on the loop and finish on
 * return); {@code /drip} is callback style ({@code @Asynchronous}, loop timers, {@code finish()}
 * from the last one); {@code /delay}, {@code /stream} and {@code /stream-bytes} are future style
 * (they return a stage); the resource pages ({@code /html}, {@code /xml}, ...) run on virtual
 * threads ({@code @RunOnVirtualThread}) because they read files with blocking I/O.
 *
 * <p>Prints {@code listening on HOST:PORT} once the socket is bound ({@code --port 0} picks a free
 * port). Threading: one loop, {@code IOLoop.instance()}.
 */
public final class HttpBin {
    /** Largest request body accepted (413 beyond): 10 MiB, plenty for a test service. */
    static final long MAX_BODY_SIZE = 10L * 1024 * 1024;

    private HttpBin() {
    }

    /** The httpbin application. */
    public static Application application() {
        return application(new DelayGauge());
    }

    /** The httpbin application; {@code gauge} counts the {@code /delay} requests waiting. */
    public static Application application(DelayGauge gauge) {
        GaleMetrics metrics = new GaleMetrics();
        Application app = new Application(routes(gauge), ApplicationSettings.builder().maxBodySize(MAX_BODY_SIZE)
                .defaultHandlerClass(NotFound.class).metrics(metrics).build());
        return DemoOperations.mount(app, metrics);
    }

    static List<Route> routes(DelayGauge gauge) {
        List<Route> r = new ArrayList<>();
        r.add(page("/", "index.html", "text/html; charset=utf-8"));
        r.add(Route.url("/get", Echo.Get.class));
        r.add(Route.url("/post", Echo.Post.class));
        r.add(Route.url("/put", Echo.Put.class));
        r.add(Route.url("/patch", Echo.Patch.class));
        r.add(Route.url("/delete", Echo.Delete.class));
        r.add(Route.url("/anything(?:/.*)?", Echo.Anything.class));
        r.add(Route.url("/headers", Echo.Headers.class));
        r.add(Route.url("/ip", Echo.Ip.class));
        r.add(Route.url("/user-agent", Echo.UserAgent.class));
        r.add(Route.url("/status/([^/]+)", Status.class));
        r.add(Route.url("/redirect/([^/]+)", Redirects.Redirect.class));
        r.add(Route.url("/redirect-to", Redirects.RedirectTo.class));
        r.add(Route.url("/relative-redirect/([^/]+)", Redirects.Relative.class));
        r.add(Route.url("/absolute-redirect/([^/]+)", Redirects.Absolute.class));
        r.add(Route.url("/cookies", Cookies.Show.class));
        r.add(Route.url("/cookies/set", Cookies.Set.class));
        r.add(Route.url("/cookies/set/([^/]+)/([^/]*)", Cookies.SetOne.class));
        r.add(Route.url("/cookies/delete", Cookies.Delete.class));
        r.add(Route.url("/basic-auth/([^/]+)/([^/]+)", Auth.Basic.class));
        r.add(Route.url("/hidden-basic-auth/([^/]+)/([^/]+)", Auth.HiddenBasic.class));
        r.add(Route.url("/bearer", Auth.Bearer.class));
        r.add(Route.url("/digest-auth/([^/]+)/([^/]+)/([^/]+)", Digest.Handler.class));
        r.add(Route.url("/digest-auth/([^/]+)/([^/]+)/([^/]+)/([^/]+)", Digest.Handler.class));
        r.add(Route.url("/digest-auth/([^/]+)/([^/]+)/([^/]+)/([^/]+)/([^/]+)", Digest.Handler.class));
        r.add(Route.url("/gzip", Encodings.Gzip.class));
        r.add(Route.url("/deflate", Encodings.Deflate.class));
        r.add(Route.url("/brotli", Encodings.Brotli.class));
        r.add(Route.url("/base64/([^/]+)", Encodings.Base64Decode.class));
        r.add(Route.url("/stream/([^/]+)", Streams.Stream.class));
        r.add(Route.url("/stream-bytes/([^/]+)", Streams.StreamBytes.class));
        r.add(Route.url("/bytes/([^/]+)", Streams.Bytes.class));
        r.add(Route.url("/range/([^/]+)", Streams.Range.class));
        r.add(Route.url("/drip", Streams.Drip.class));
        r.add(Route.url("/delay/([^/]+)", Streams.Delay.class, Map.of("gauge", gauge)));
        r.add(Route.url("/uuid", Pages.Uuid.class));
        r.add(Route.url("/response-headers", Pages.ResponseHeaders.class));
        r.add(Route.url("/cache", Caching.Cache.class));
        r.add(Route.url("/cache/([^/]+)", Caching.CacheFor.class));
        r.add(Route.url("/etag/([^/]+)", Caching.Etag.class));
        r.add(page("/html", "moby.html", "text/html; charset=utf-8"));
        r.add(page("/json", "sample.json", "application/json"));
        r.add(page("/xml", "sample.xml", "application/xml"));
        r.add(page("/robots.txt", "robots.txt", "text/plain"));
        r.add(page("/deny", "deny.txt", "text/plain"));
        r.add(page("/encoding/utf8", "utf8.html", "text/html; charset=utf-8"));
        r.add(page("/forms/post", "forms-post.html", "text/html; charset=utf-8"));
        r.add(Route.url("/links/([^/]+)", Pages.LinksStart.class));
        r.add(Route.url("/links/([^/]+)/([^/]+)", Pages.Links.class));
        Images.preload();
        r.add(Route.url("/image", Images.Negotiated.class));
        r.add(Route.url("/image/png", Images.Fixed.class, Map.of("type", "image/png")));
        r.add(Route.url("/image/jpeg", Images.Fixed.class, Map.of("type", "image/jpeg")));
        r.add(Route.url("/image/webp", Images.Fixed.class, Map.of("type", "image/webp")));
        r.add(Route.url("/image/svg", Images.Fixed.class, Map.of("type", "image/svg+xml")));
        r.add(Route.url("/websocket/echo", WebSocketEcho.class));
        return r;
    }

    private static Route page(String path, String resource, String contentType) {
        return Route.url(path, Pages.Resource.class, Map.of("resource", resource, "contentType", contentType));
    }

    /** Starts the server: {@code [--port N] [--address A]}. */
    public static void main(String[] args) throws Exception {
        DemoOptions demo = DemoOptions.forDemo("httpbin");
        demo.drainOnTerm(serve(demo, args));
        IOLoop.instance().start();
    }

    /**
     * Parses the options, listens and prints {@code listening on HOST:PORT}: {@code --port},
     * {@code --address}, {@code --http2} (default on: h2 by ALPN with TLS; h2c with prior knowledge
     * or {@code Upgrade: h2c} without; {@code --http2=false} for HTTP/1.1 only), and
     * {@code --certfile}/{@code --keyfile} (PEM; both or neither) for HTTPS.
     */
    public static HttpServer serve(DemoOptions demo, String[] args) throws IOException {
        Option<Integer> port = demo.port(8888);
        Option<String> address = demo.parser().option("address", String.class).metavar("ADDRESS")
                .help("the address to listen on (default: all interfaces)").define();
        Option<Boolean> http2 = demo.parser().option("http2", Boolean.class).defaultValue(true)
                .help("serve HTTP/2 too (h2 over TLS, h2c on plain connections)").define();
        Option<Path> certfile = demo.parser().option("certfile", Path.class).metavar("PEM")
                .help("TLS certificate chain (PEM); with --keyfile, serves HTTPS").define();
        Option<Path> keyfile = demo.parser().option("keyfile", Path.class).metavar("PEM")
                .help("TLS private key (PEM, unencrypted PKCS#8)").define();
        demo.parseOptionsOnly(args);
        if ((certfile.get() == null) != (keyfile.get() == null)) {
            throw new IOException("--certfile and --keyfile go together");
        }
        HttpServerOptions.Builder options = HttpServerOptions.builder().http2(http2.get());
        if (certfile.get() != null) {
            options.tls(DemoTls.serverContext(certfile.get(), keyfile.get()));
        }
        HttpServerOptions chosen = options.build();
        HttpServer server = demo.listen(port.get(), () -> application().listen(port.get(), address.get(), chosen));
        demo.out().println(Demos.listeningLine(server.localAddresses().get(0)));
        demo.out().flush();
        return server;
    }
}
