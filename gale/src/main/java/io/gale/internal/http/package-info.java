/**
 * Internal, not exported: the HTTP/1.x wire codec shared by the server ({@code io.gale.http}),
 * the client ({@code io.gale.httpclient}), the WebSocket client and HTTP/2's h2c upgrade: the
 * parser ({@link io.gale.internal.http.Http1Parser}), the encoders, request/response
 * decompression ({@link io.gale.internal.http.GzipDecoder}) and the character tables of RFC 9110.
 * Public only so that those packages (and the benchmarks, on the class path) can reach them;
 * applications use {@code io.gale.http} and {@code io.gale.httpclient}.
 */
package io.gale.internal.http;
