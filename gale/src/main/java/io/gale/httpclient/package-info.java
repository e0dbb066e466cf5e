/**
 * The asynchronous HTTP/1.1 client (Tornado's {@code httpclient} and {@code simple_httpclient}),
 * with a keep-alive connection pool, proxies, TLS options, redirects, gzip and streaming, plus a
 * blocking facade.
 *
 * <p>Public: {@link io.gale.httpclient.AsyncHttpClient}, {@link io.gale.httpclient.HttpClient},
 * {@link io.gale.httpclient.HttpRequest}, {@link io.gale.httpclient.HttpResponse},
 * {@link io.gale.httpclient.HttpTiming}, {@link io.gale.httpclient.HttpClientException},
 * {@link io.gale.httpclient.ClientOptions} and the callback interfaces. Internals, one job each
 * (after OkHttp): {@code ConnectionPool} (keep-alive reuse, limits, queue), {@code Connector}
 * (route: TCP, proxy tunnel, TLS, stage timing), {@code ProxyTunnel} (CONNECT),
 * {@code Connection} (stream, response parser, read pump), {@code Exchange} (one request and its
 * response), {@code FetchCall} (hops, timeouts, retry), {@code Redirects}, {@code RequestHead}.
 * Responses are parsed with the server's {@code Http1Parser} (io.gale.internal.http) and decompressed with its
 * {@code GzipDecoder}.
 */
package io.gale.httpclient;
