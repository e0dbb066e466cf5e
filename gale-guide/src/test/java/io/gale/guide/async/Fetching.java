package io.gale.guide.async;

import static io.gale.concurrent.Coroutines.await;

import io.gale.concurrent.Futures;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpClient;
import io.gale.httpclient.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The same fetch written blocking, with a callback, with a future and as a coroutine. */
final class Fetching {
    private Fetching() {
    }

    // tag::blocking[]
    static String synchronousFetch(String url) {
        try (HttpClient client = new HttpClient()) {
            return client.fetch(url).text();      // this thread waits for the whole response
        }
    }
    // end::blocking[]

    // tag::callback[]
    static void asynchronousFetch(AsyncHttpClient client, String url, Consumer<String> callback) {
        client.fetch(url).thenAccept(response -> callback.accept(response.text()));
    }
    // end::callback[]

    // tag::future[]
    static CompletableFuture<String> asyncFetchFuture(AsyncHttpClient client, String url) {
        return client.fetch(url).thenApply(HttpResponse::text);
    }
    // end::future[]

    // tag::coroutine[]
    static String fetchCoroutine(AsyncHttpClient client, String url) {   // runs on a virtual thread
        HttpResponse response = await(client.fetch(url));                // parks, the loop runs on
        return response.text();
    }
    // end::coroutine[]

    /** A library that reports through a callback of its own. */
    interface LegacyClient {
        void get(String url, Consumer<String> onBody);
    }

    // tag::from-callback[]
    static CompletableFuture<String> fetchWith(LegacyClient legacy, String url) {
        return Futures.fromCallback(done -> legacy.get(url, done));
    }
    // end::from-callback[]
}
