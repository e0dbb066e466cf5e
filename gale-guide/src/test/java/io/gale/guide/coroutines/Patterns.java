package io.gale.guide.coroutines;

import static io.gale.concurrent.Coroutines.await;

import io.gale.concurrent.Coroutines;
import io.gale.concurrent.Futures;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpResponse;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.PeriodicCallback;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The coroutine chapter's patterns; every method but the callbacks runs on a virtual thread. */
final class Patterns {
    private Patterns() {
    }

    // tag::spawn[]
    static CompletableFuture<Integer> pageSize(IOLoop loop, AsyncHttpClient client, String url) {
        return Coroutines.spawn(loop, () -> {
            HttpResponse response = await(client.fetch(url));
            return response.body().length;
        });
    }
    // end::spawn[]

    // tag::blocking[]
    static String readReport(IOLoop loop) {
        // On a virtual thread a blocking call is fine: it parks this coroutine only.
        String direct = slowLegacyCall();
        // Code that runs on the loop itself (a callback) hands blocking work to a pool instead:
        CompletableFuture<String> pooled = loop.runInExecutor(null, Patterns::slowLegacyCall);
        return direct + " / " + await(pooled);
    }
    // end::blocking[]

    static String slowLegacyCall() {
        try {
            // not synchronisation: the sample's stand-in for a blocking call (JDBC, a file, an SDK)
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "report";
    }

    // tag::parallel[]
    static List<HttpResponse> both(AsyncHttpClient client, String url1, String url2) {
        return await(Futures.all(client.fetch(url1), client.fetch(url2)));
    }

    static Map<String, HttpResponse> byName(AsyncHttpClient client, Map<String, String> urls) {
        Map<String, CompletableFuture<HttpResponse>> started = new java.util.LinkedHashMap<>();
        urls.forEach((name, url) -> started.put(name, client.fetch(url)));
        return await(Futures.all(started));
    }
    // end::parallel[]

    // tag::interleave[]
    static String interleaved(AsyncHttpClient client, String url) {
        CompletableFuture<HttpResponse> pending = client.fetch(url);   // started, not awaited
        String meanwhile = "computed while fetching";
        HttpResponse response = await(Futures.withTimeout(pending, Duration.ofSeconds(10)));
        return meanwhile + ": " + response.code();
    }
    // end::interleave[]

    // tag::loop[]
    static int fetchUntilEmpty(AsyncHttpClient client, String url) {
        int pages = 0;
        String next = url;
        while (next != null) {                  // an ordinary loop: no special idiom needed
            HttpResponse page = await(client.fetch(next));
            pages++;
            next = page.headers().get("X-Next");
        }
        return pages;
    }
    // end::loop[]

    // tag::background[]
    static PeriodicCallback everySecond(IOLoop loop, Runnable work) {
        PeriodicCallback ticker = new PeriodicCallback(work, Duration.ofSeconds(1));
        ticker.start(loop);                     // runs work on the loop until ticker.stop()
        return ticker;
    }

    static CompletableFuture<Void> minuteLoop(IOLoop loop, AtomicInteger runs, int times) {
        return Coroutines.spawn(loop, () -> {
            for (int i = 0; i < times; i++) {
                runs.incrementAndGet();         // the work, then a pause that holds no thread
                await(Futures.sleep(Duration.ofMillis(60)));
            }
        });
    }
    // end::background[]
}
