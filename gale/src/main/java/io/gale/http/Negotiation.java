package io.gale.http;

import io.gale.http2.Http2Preface;
import io.gale.ioloop.Timeout;
import io.gale.iostream.IOStream;
import io.gale.iostream.SslIOStream;
import io.gale.iostream.TlsOptions;
import io.gale.net.ServerOptions;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a server connection chooses between HTTP/1.1 and HTTP/2 when
 * {@link HttpServerOptions#http2()} is on, before any request is read:
 * <ul>
 * <li>TLS: by ALPN (RFC 7301, RFC 9113 section 3.2): {@code h2} when the client offers it, else
 *     {@code http/1.1} (also when the client offers nothing). The selector is installed into the
 *     TLS options unless the application set its own.</li>
 * <li>Plain TCP: h2c with prior knowledge (section 3.3): the first bytes are compared with the
 *     client preface ({@link Http2Preface#match}) without consuming them, so whichever connection
 *     takes over reads them from the stream. A client that sends nothing within
 *     {@link HttpServerOptions#headerTimeout()} is closed, as an HTTP/1.1 one would be.</li>
 * </ul>
 * Stateless; {@link #choose} runs on the stream's loop.
 */
final class Negotiation {
    static final String H2 = "h2";
    static final String HTTP_1_1 = "http/1.1";

    private Negotiation() {
    }

    /** The TCP options with the ALPN selector when HTTP/2 is on over TLS and no selector is set. */
    static ServerOptions tcpOptions(HttpServerOptions options) {
        ServerOptions tcp = options.tcp();
        if (!options.http2() || tcp.sslContext() == null || tcp.tls().protocolSelector() != null) {
            return tcp;
        }
        TlsOptions tls = tcp.tls().toBuilder().protocolSelector(Negotiation::select).build();
        return tcp.toBuilder().tls(tcp.sslContext(), tls).build();
    }

    /** ALPN: h2 if offered, else http/1.1; "" (no ALPN) when neither is offered. */
    static String select(List<String> offered) {
        if (offered.contains(H2)) {
            return H2;
        }
        return offered.contains(HTTP_1_1) ? HTTP_1_1 : "";
    }

    /** Decides the protocol of {@code stream}; {@code then} gets true for HTTP/2 (on the loop). */
    static void choose(IOStream stream, HttpServerOptions options, Consumer<Boolean> then) {
        if (stream instanceof SslIOStream ssl) {
            ssl.handshake().whenComplete((v, e) -> {
                if (e == null) {
                    stream.loop().runOrSubmit(() -> then.accept(H2.equals(ssl.applicationProtocol())));
                } // a failed handshake closed the stream
            });
            return;
        }
        Timeout timer = stream.loop().callLater(options.headerTimeout(), stream::close);
        boolean[] http2 = new boolean[1];
        stream.readStreaming(data -> switch (Http2Preface.match(data)) {
            case PARTIAL -> true;
            case PREFACE -> {
                http2[0] = true;
                yield false;
            }
            case OTHER -> false;
        }).whenComplete((v, e) -> {
            timer.cancel();
            if (e == null) {
                // later, not inside the read that just ended: the chosen connection starts its own
                stream.loop().addCallback(() -> then.accept(http2[0]));
            } // closed before a decision: nothing to serve
        });
    }
}
