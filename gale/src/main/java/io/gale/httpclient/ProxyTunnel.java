package io.gale.httpclient;

import io.gale.internal.http.Http1Parser;
import io.gale.http.Http1ParserLimits;
import io.gale.iostream.IOStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Opens an HTTP CONNECT tunnel through a proxy (RFC 9110 section 9.3.6) on a connected stream, for
 * https through an HTTP proxy. The proxy's answer is read with the same response parser as
 * everything else; a non-2xx answer fails with the proxy's status. Loop thread only.
 */
final class ProxyTunnel {
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    private ProxyTunnel() {
    }

    static CompletableFuture<IOStream> open(IOStream stream, Address a, int maxHeaderSize) {
        String authority = a.host() + ":" + a.port();
        StringBuilder req = new StringBuilder(128).append("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ")
                .append(authority).append("\r\n");
        if (a.proxyAuthorization() != null) {
            req.append("Proxy-Authorization: ").append(a.proxyAuthorization()).append("\r\n");
        }
        req.append("\r\n");
        stream.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        return stream.readUntil(END_OF_HEAD, maxHeaderSize).thenCompose(head -> {
            Http1Parser p = Http1Parser.forResponses(Http1ParserLimits.builder().maxHeaderSize(maxHeaderSize).build());
            p.expectResponseTo("CONNECT");
            Http1Parser.Event e = p.next(ByteBuffer.wrap(head));
            if (e != Http1Parser.Event.HEAD) {
                return CompletableFuture.failedFuture(new IOException("malformed answer from proxy "
                        + a.proxyHost() + ":" + a.proxyPort() + " to CONNECT"
                        + (p.error() != null ? ": " + p.error().reason() : "")));
            }
            if (p.status() / 100 != 2) {
                return CompletableFuture.failedFuture(new IOException("proxy " + a.proxyHost() + ":" + a.proxyPort()
                        + " refused CONNECT " + authority + ": " + p.status() + " " + p.reason()));
            }
            return CompletableFuture.completedFuture(stream);
        });
    }
}
