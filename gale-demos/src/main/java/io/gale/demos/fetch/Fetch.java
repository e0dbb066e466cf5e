package io.gale.demos.fetch;

import io.gale.demos.DemoOptions;
import io.gale.httpclient.BodyTooLargeException;
import io.gale.httpclient.ClientOptions;
import io.gale.httpclient.HttpClient;
import io.gale.httpclient.HttpClientException;
import io.gale.httpclient.HttpRequest;
import io.gale.httpclient.HttpResponse;
import io.gale.options.Option;
import io.gale.options.OptionParser;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP client from the command line (Tornado's {@code python -m tornado.httpclient URL}),
 * on Gale's {@link HttpClient}:
 *
 * <pre>
 * ./gale-demo fetch http://127.0.0.1:8888/get
 * ./gale-demo fetch --print-headers --method=POST --body='{"a":1}' --header 'Content-Type: application/json' URL
 * ./gale-demo fetch --help
 * </pre>
 *
 * <p>Prints each URL's body to standard output, byte for byte as received after decoding its
 * content encoding (gzip), preceded by the status line and header fields with
 * {@code --print-headers}. Redirects are followed unless {@code --follow-redirects=false};
 * timeouts are in seconds (or with a unit: {@code 500ms}).
 *
 * <p>Exit status: 0 when every response arrived whole with a status below 400; 1 otherwise, with
 * one line on standard error per failed URL: the status ({@code HTTP 404 Not Found}) or what went
 * wrong (timed out, malformed response, body too large, cannot connect); 2 for a usage error
 * (unknown option, bad value, no URL, a header without {@code :}).
 */
public final class Fetch {
    private Fetch() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Fetches; returns the exit status. {@code out} gets the bodies, {@code err} the failures. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        return DemoOptions.run("fetch", out, err, demo -> run(demo, args));
    }

    private static int run(DemoOptions demo, String[] args) throws IOException {
        OptionParser o = demo.parser().usageArguments("URL...");
        Option<Boolean> printHeaders = o.define("print-headers", false, "print the status line and header fields first");
        Option<Boolean> printBody = o.define("print-body", true, "print the body");
        Option<String> method = o.option("method", String.class).defaultValue("GET").metavar("METHOD")
                .help("the request method").define();
        Option<String> body = o.option("body", String.class).metavar("TEXT").help("the request body (UTF-8)").define();
        Option<Path> bodyFile = o.option("body-file", Path.class).help("the request body, from a file").define();
        Option<List<String>> headers = o.listOption("header", String.class).repeatable().metavar("NAME:VALUE")
                .help("a request header field").noEnv().define();
        Option<Boolean> follow = o.define("follow-redirects", true, "follow redirects");
        Option<Integer> maxRedirects = o.option("max-redirects", Integer.class).defaultValue(5)
                .help("redirects followed at most").check(n -> n >= 0, "a number of at least 0").define();
        Option<Duration> requestTimeout = o.option("request-timeout", Duration.class).defaultValue(Duration.ofSeconds(20))
                .help("limit for the whole request, in seconds").check(Fetch::positive, "a positive duration").define();
        Option<Duration> connectTimeout = o.option("connect-timeout", Duration.class).defaultValue(Duration.ofSeconds(20))
                .help("limit for connecting, in seconds").check(Fetch::positive, "a positive duration").define();
        Option<Long> maxBodySize = o.option("max-body-size", Long.class)
                .defaultValue(ClientOptions.defaults().maxBodySize()).help("largest body accepted, in bytes (decoded)")
                .check(n -> n >= 0, "a number of at least 0").define();
        Option<Boolean> validateCert = o.define("validate-cert", true, "verify the server's TLS certificate");
        Option<String> proxyHost = o.option("proxy-host", String.class).metavar("HOST").help("an HTTP proxy").define();
        Option<Integer> proxyPort = o.option("proxy-port", Integer.class).defaultValue(8080).help("the proxy's port")
                .check(p -> p > 0 && p <= 65535, "a port number from 1 to 65535").define();

        List<String> urls = demo.parse(args);
        if (urls.isEmpty()) {
            throw o.usageError("give a URL to fetch");
        }
        if (body.get() != null && bodyFile.get() != null) {
            throw o.usageError("give --body or --body-file, not both");
        }
        byte[] payload = body.get() != null ? body.get().getBytes(StandardCharsets.UTF_8) : null;
        if (bodyFile.get() != null) {
            try {
                payload = Files.readAllBytes(bodyFile.get());
            } catch (IOException e) {
                throw o.usageError("--body-file: cannot read " + bodyFile.get() + ": " + e.getMessage());
            }
        }
        List<HttpRequest> requests = new java.util.ArrayList<>();
        for (String url : urls) {
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(url);
            } catch (IllegalArgumentException e) {
                throw o.usageError("'" + url + "' is not an http or https URL");
            }
            for (String h : headers.get()) {
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    throw o.usageError("--header: '" + h + "' is not NAME:VALUE");
                }
                try {
                    b.header(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
                } catch (IllegalArgumentException e) {
                    throw o.usageError("--header: '" + h + "': " + e.getMessage());
                }
            }
            b.method(method.get()).allowNonstandardMethods(true).body(payload).raiseError(false)
                    .followRedirects(follow.get()).maxRedirects(maxRedirects.get())
                    .requestTimeout(requestTimeout.get()).connectTimeout(connectTimeout.get())
                    .maxBodySize(maxBodySize.get()).validateCert(validateCert.get());
            if (proxyHost.get() != null) {
                b.proxy(proxyHost.get(), proxyPort.get());
            }
            requests.add(b.build());
        }

        int status = 0;
        try (HttpClient client = new HttpClient()) {
            for (HttpRequest r : requests) {
                HttpResponse response;
                try {
                    response = client.fetch(r);
                } catch (HttpClientException | IllegalArgumentException e) {
                    demo.err().println("fetch: " + r + ": " + describe(e));
                    status = 1;
                    continue;
                }
                PrintStream out = demo.out();
                if (printHeaders.get()) {
                    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.code()).append(' ')
                            .append(response.reason()).append("\r\n");
                    for (Map.Entry<String, String> h : response.headers()) {
                        head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
                    }
                    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                }
                if (printBody.get()) {
                    out.write(response.body());
                }
                out.flush();
                if (response.code() >= 400) {
                    demo.err().println("fetch: " + r + ": HTTP " + response.code() + " " + response.reason());
                    status = 1;
                }
            }
        }
        return status;
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** What went wrong, in a few words and the client's detail. */
    static String describe(Exception e) {
        Throwable cause = e instanceof HttpClientException && e.getCause() != null ? e.getCause() : e;
        String detail = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        if (cause instanceof TimeoutException) {
            return "timed out: " + detail;
        }
        if (cause instanceof BodyTooLargeException) {
            return "body too large: " + detail;
        }
        if (cause instanceof ConnectException) {
            return "cannot connect: " + detail;
        }
        if (detail.startsWith("malformed response")) {
            return detail;
        }
        return cause.getClass().getSimpleName() + ": " + detail;
    }
}
