package io.gale.httpclient;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Blocking HTTP client for scripts and tests (Tornado's {@code HTTPClient}): an
 * {@link AsyncHttpClient} on a private loop thread, with a {@link #fetch} that waits.
 *
 * <pre>{@code
 * try (HttpClient http = new HttpClient()) {
 *     System.out.println(http.fetch("http://127.0.0.1:8888/").text());
 * }
 * }</pre>
 *
 * <p>Threading: {@code fetch} may be called from any thread except an {@link IOLoop} thread (it
 * would block the loop; use {@link AsyncHttpClient} there), also from several threads at once.
 * {@link #close()} stops the private loop.
 */
public final class HttpClient implements AutoCloseable {
    private final IOLoop loop;
    private final AsyncHttpClient async;

    /**
     * Creates a {@code HttpClient}.
     */
    public HttpClient() {
        this(ClientOptions.defaults());
    }

    /**
     * Creates a {@code HttpClient}.
     *
     * @param options the options
     */
    public HttpClient(ClientOptions options) {
        loop = new IOLoop(IOLoopOptions.builder().name("gale-http-client").daemon(true).build());
        loop.startInBackground();
        async = new AsyncHttpClient(loop, options);
    }

    /**
     * GET {@code url} and wait for the response.
     *
     * @param url the URL
     * @return the HTTP response
     */
    public HttpResponse fetch(String url) {
        return fetch(HttpRequest.get(url));
    }

    /**
     * Sends {@code request} and waits for the response (bounded by the request's timeouts).
     *
     * @param request the request
     * @return the HTTP response
     * @throws HttpClientException for a non-2xx response (unless {@code raiseError(false)}) or a failure
     * @throws IllegalStateException on an IOLoop thread
     */
    public HttpResponse fetch(HttpRequest request) {
        if (IOLoop.current() != null && IOLoop.current().inLoop()) {
            throw new IllegalStateException("HttpClient.fetch blocks: use AsyncHttpClient on an IOLoop thread");
        }
        try {
            return async.fetch(request).get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new HttpClientException(String.valueOf(c), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpClientException("interrupted", e);
        }
    }

    /**
     * The asynchronous client underneath (its futures complete on the private loop).
     *
     * @return the asynchronous client underneath (its futures complete on the private loop)
     */
    public AsyncHttpClient async() {
        return async;
    }

    @Override
    public void close() {
        async.close();
        loop.addCallback(loop::close); // after the pool closed its connections (callbacks run in order)
    }
}
