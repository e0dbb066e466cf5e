package io.gale.demos.webspider;

import io.gale.concurrent.Coroutines;
import io.gale.demos.DemoOptions;
import io.gale.options.Option;
import io.gale.options.OptionParser;
import io.gale.concurrent.Futures;
import io.gale.concurrent.Queue;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.ClientOptions;
import io.gale.httpclient.HttpClientException;
import io.gale.httpclient.HttpResponse;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tornado's webspider demo: a concurrent crawler with a {@link Queue} and N worker coroutines
 * that fetch pages with {@link AsyncHttpClient}, follow the links found in them that stay under the
 * base URL, and end with {@code Done in N seconds, fetched M URLs.}
 *
 * <pre>
 * ./gale-demo webspider [--url BASE] [--concurrency N]
 * </pre>
 *
 * "Under the base URL" means within the base URL's directory (up to its last {@code /}), so the
 * default {@code http://127.0.0.1:8888/links/10/0} crawls the httpbin demo's ten
 * {@code /links/10/i} pages. Start the httpbin demo first ({@code ./gale-demo httpbin}); if nothing
 * listens at the base URL the demo says so and exits 2 (also on bad usage); 0 otherwise.
 */
public final class WebSpiderDemo {
    static final String DEFAULT_URL = "http://127.0.0.1:8888/links/10/0";
    private static final Pattern HREF = Pattern.compile("<a\\s[^>]*?href\\s*=\\s*[\"']([^\"'#]*)[#\"']",
            Pattern.CASE_INSENSITIVE);
    private static final String STOP = "\u0000stop"; // the sentinel that ends a worker (Tornado's None)

    private WebSpiderDemo() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the crawl; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return DemoOptions.run("webspider", out, err, demo -> run(demo, args));
        } catch (Exception e) {
            err.println("webspider failed: " + e);
            return 1;
        }
    }

    private static int run(DemoOptions demo, String[] args) {
        OptionParser options = demo.parser();
        Option<String> base = options.option("url", String.class).defaultValue(DEFAULT_URL).metavar("URL")
                .help("where to start; links under its directory are followed")
                .check(WebSpiderDemo::httpUrl, "an http(s) URL").define();
        Option<Integer> workers = options.option("concurrency", Integer.class).defaultValue(10)
                .help("fetches at once").check(n -> n > 0, "a positive number").define();
        demo.parseOptionsOnly(args);
        return crawl(base.get(), workers.get(), demo.out(), demo.err());
    }

    private static boolean httpUrl(String url) {
        try {
            URI u = new URI(url);
            return u.getHost() != null && ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static int crawl(String url, int concurrency, PrintStream out, PrintStream err) {
        IOLoop loop = new IOLoop(IOLoopOptions.builder().name("webspider").daemon(true).build());
        loop.startInBackground();
        try (AsyncHttpClient client = new AsyncHttpClient(loop, ClientOptions.builder().maxClients(concurrency).build())) {
            return new Crawl(client, url, concurrency, out, err).run();
        } finally {
            loop.close();
        }
    }

    /** One crawl: the queue, the workers and the bookkeeping sets (shared by coroutines, so concurrent). */
    private static final class Crawl {
        private final AsyncHttpClient client;
        private final String base;
        private final String scope;
        private final int concurrency;
        private final PrintStream out;
        private final PrintStream err;
        private final Queue<String> queue = new Queue<>();
        private final Set<String> fetching = ConcurrentHashMap.newKeySet();
        private final Set<String> fetched = ConcurrentHashMap.newKeySet();
        private final Set<String> dead = ConcurrentHashMap.newKeySet();
        private volatile boolean baseUnreachable;

        Crawl(AsyncHttpClient client, String base, int concurrency, PrintStream out, PrintStream err) {
            this.client = client;
            this.base = base;
            this.scope = base.substring(0, base.lastIndexOf('/') + 1);
            this.concurrency = concurrency;
            this.out = out;
            this.err = err;
        }

        int run() {
            long start = System.nanoTime();
            queue.putNow(base);
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                workers.add(Coroutines.spawn(client.loop(), this::worker));
            }
            try {
                queue.join(Duration.ofSeconds(300)).get(310, TimeUnit.SECONDS);
            } catch (Exception e) {
                err.println("crawl did not finish in 300 seconds: " + e);
                return 1;
            } finally {
                for (int i = 0; i < concurrency; i++) {
                    queue.putNow(STOP);
                }
            }
            Futures.all(workers).join();
            if (baseUnreachable) {
                err.println("nothing listens at " + base + ": start the httpbin demo first (./gale-demo httpbin)"
                        + " or pass --url BASE");
                return 2;
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            out.println("Done in " + seconds + " seconds, fetched " + fetched.size() + " URLs.");
            return 0;
        }

        private void worker() {
            while (true) {
                String url = Coroutines.await(queue.get());
                if (url.equals(STOP)) {
                    return;
                }
                try {
                    fetchUrl(url);
                } catch (RuntimeException e) {
                    if (url.equals(base) && e instanceof HttpClientException h && h.getCause() instanceof ConnectException) {
                        baseUnreachable = true;
                    } else {
                        err.println("Exception: " + e.getMessage() + " " + url);
                    }
                    dead.add(url);
                } finally {
                    queue.taskDone();
                }
            }
        }

        private void fetchUrl(String url) {
            if (!fetching.add(url)) {
                return;
            }
            out.println("fetching " + url);
            HttpResponse r = Coroutines.await(client.fetch(url));
            fetched.add(url);
            for (String link : links(r)) {
                if (link.startsWith(scope) && !fetching.contains(link)) {
                    Coroutines.await(queue.put(link));
                }
            }
        }

        /** Absolute URLs of the {@code <a href>} links of an HTML page, fragments removed. */
        private static List<String> links(HttpResponse r) {
            List<String> links = new ArrayList<>();
            String type = r.headers().get("Content-Type");
            if (type != null && !type.toLowerCase().startsWith("text/html")) {
                return links;
            }
            URI page = URI.create(r.effectiveUrl());
            Matcher m = HREF.matcher(r.text());
            while (m.find()) {
                try {
                    links.add(page.resolve(m.group(1).trim()).toString());
                } catch (IllegalArgumentException e) {
                    // not a URL: skip it, as a browser would
                }
            }
            return links;
        }
    }
}
