package io.gale.guide.queues;

import static io.gale.concurrent.Coroutines.await;

import io.gale.concurrent.Coroutines;
import io.gale.concurrent.Queue;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpResponse;
import io.gale.ioloop.IOLoop;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A concurrent web spider: a queue of URLs and a fixed number of worker coroutines. */
public final class Spider {
    private static final Pattern HREF = Pattern.compile("href=\"([^\"#]+)\"");

    // tag::state[]
    private final AsyncHttpClient client;
    private final String start;
    private final String scope;                         // start's directory: links elsewhere are not followed
    private final Queue<String> queue = new Queue<>();  // unbounded; new Queue<>(n) makes put() wait
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<String> fetched = ConcurrentHashMap.newKeySet();
    // end::state[]

    public Spider(AsyncHttpClient client, String start) {
        this.client = client;
        this.start = start;
        this.scope = start.substring(0, start.lastIndexOf('/') + 1);
    }

    // tag::crawl[]
    /** Crawls from the start URL with {@code concurrency} workers; returns the URLs fetched. */
    public Set<String> crawl(int concurrency) {
        seen.add(start);
        queue.putNow(start);
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(Coroutines.spawn(client.loop(), this::worker));
        }
        await(queue.join(Duration.ofSeconds(60)));     // every put() matched by a taskDone()
        for (CompletableFuture<Void> worker : workers) {
            worker.cancel(true);                        // interrupts the worker's await(queue.get())
        }
        return fetched;
    }

    private void worker() {
        while (true) {
            String url = await(queue.get());
            try {
                for (String link : links(await(client.fetch(url)))) {
                    if (link.startsWith(scope) && seen.add(link)) {
                        await(queue.put(link));
                    }
                }
                fetched.add(url);
            } catch (RuntimeException e) {
                System.err.println("failed " + url + ": " + e.getMessage());
            } finally {
                queue.taskDone();
            }
        }
    }
    // end::crawl[]

    // tag::main[]
    public static void main(String[] args) {
        IOLoop loop = new IOLoop();
        loop.startInBackground();                        // the loop the client and the workers use
        try (AsyncHttpClient client = new AsyncHttpClient(loop)) {
            Set<String> fetched = Coroutines.spawn(loop, () -> new Spider(client, args[0]).crawl(10)).join();
            System.out.println("Done, fetched " + fetched.size() + " URLs.");
        } finally {
            loop.close();
        }
    }
    // end::main[]

    // tag::links[]
    private static List<String> links(HttpResponse page) {
        List<String> links = new ArrayList<>();
        URI here = URI.create(page.effectiveUrl());
        Matcher m = HREF.matcher(page.text());
        while (m.find()) {
            links.add(here.resolve(m.group(1)).toString());   // relative links made absolute
        }
        return links;
    }
    // end::links[]
}
