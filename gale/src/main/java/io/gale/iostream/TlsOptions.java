package io.gale.iostream;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * TLS settings of an {@link SslIOStream}: which side it is and what it negotiates. Immutable;
 * start from {@link #client(String)} or {@link #server()}:
 *
 * <pre>{@code
 * TlsOptions c = TlsOptions.client("example.com").withApplicationProtocols(List.of("h2", "http/1.1"));
 * TlsOptions s = TlsOptions.server().withClientAuth(TlsOptions.ClientAuth.NEED)
 *     .withProtocolSelector(offered -> offered.contains("h2") ? "h2" : "http/1.1");
 * }</pre>
 *
 * @param clientMode true for the client side of the handshake
 * @param serverName client: the host name sent as SNI (omitted for IP literals) and checked
 *     against the server certificate; server: ignored
 * @param verifyHostname client: check the certificate against {@code serverName} (endpoint
 *     identification "HTTPS"); on by default
 * @param applicationProtocols client: ALPN protocols offered, in preference order; empty for none
 * @param protocolSelector server: picks the ALPN protocol from the client's offer; null for no
 *     ALPN. Returning "" selects none; returning null or an unoffered name fails the handshake
 *     with a {@code no_application_protocol} alert (the JDK's rule).
 * @param clientAuth server: whether client certificates are requested or required
 * @param protocols enabled protocol versions (e.g. {@code "TLSv1.3", "TLSv1.2"}); null for the
 *     context's defaults
 * @param handshakeTimeout the handshake must finish within this time, else the stream closes
 *     with a {@link java.util.concurrent.TimeoutException}; null for no limit. Default 10 s.
 */
public record TlsOptions(
        boolean clientMode,
        String serverName,
        boolean verifyHostname,
        List<String> applicationProtocols,
        Function<List<String>, String> protocolSelector,
        ClientAuth clientAuth,
        List<String> protocols,
        Duration handshakeTimeout) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** Whether a server asks for client certificates. */
    public enum ClientAuth {
        /** No client certificate is requested. */
        NONE,
        /** Requested; the handshake succeeds without one. */
        WANT,
        /** Required; the handshake fails without a trusted one. */
        NEED
    }

    /**
     * Creates a {@code TlsOptions}; its components are described in the class comment.
     */
    public TlsOptions {
        applicationProtocols = List.copyOf(applicationProtocols);
        Objects.requireNonNull(clientAuth, "clientAuth");
        protocols = protocols == null ? null : List.copyOf(protocols);
        if (clientMode && verifyHostname && serverName == null) {
            throw new IllegalArgumentException(
                    "a TLS client that verifies host names needs a serverName (or use withVerifyHostname(false))");
        }
    }

    /**
     * Client side, verifying the server's certificate for {@code serverName}.
     *
     * @param serverName client: the host name sent as SNI (omitted for IP literals) and checked against the server certificate; server: ignored
     * @return the TLS options
     */
    public static TlsOptions client(String serverName) {
        return new TlsOptions(true, Objects.requireNonNull(serverName, "serverName"), true, List.of(), null,
                ClientAuth.NONE, null, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /**
     * Server side, no client certificates, no ALPN.
     *
     * @return the server
     */
    public static TlsOptions server() {
        return new TlsOptions(false, null, false, List.of(), null, ClientAuth.NONE, null, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /**
     * A copy with {@code verifyHostname} replaced.
     *
     * @param verify client: check the certificate against {@code serverName} (endpoint identification "HTTPS"); on by default
     * @return a copy with this value replaced
     */
    public TlsOptions withVerifyHostname(boolean verify) {
        return new TlsOptions(clientMode, serverName, verify, applicationProtocols, protocolSelector, clientAuth,
                protocols, handshakeTimeout);
    }

    /**
     * A copy with {@code applicationProtocols} replaced.
     *
     * @param offered client: ALPN protocols offered, in preference order; empty for none
     * @return a copy with this value replaced
     */
    public TlsOptions withApplicationProtocols(List<String> offered) {
        return new TlsOptions(clientMode, serverName, verifyHostname, offered, protocolSelector, clientAuth,
                protocols, handshakeTimeout);
    }

    /**
     * A copy with {@code protocolSelector} replaced.
     *
     * @param selector server: picks the ALPN protocol from the client's offer; null for no ALPN. Returning "" selects none; returning null or an unoffered name fails the handshake with a {@code no_application_protocol} alert (the JDK's rule).
     * @return a copy with this value replaced
     */
    public TlsOptions withProtocolSelector(Function<List<String>, String> selector) {
        return new TlsOptions(clientMode, serverName, verifyHostname, applicationProtocols, selector, clientAuth,
                protocols, handshakeTimeout);
    }

    /**
     * A copy with {@code clientAuth} replaced.
     *
     * @param auth server: whether client certificates are requested or required
     * @return a copy with this value replaced
     */
    public TlsOptions withClientAuth(ClientAuth auth) {
        return new TlsOptions(clientMode, serverName, verifyHostname, applicationProtocols, protocolSelector, auth,
                protocols, handshakeTimeout);
    }

    /**
     * A copy with {@code protocols} replaced.
     *
     * @param versions enabled protocol versions (e.g. {@code "TLSv1.3", "TLSv1.2"}); null for the context's defaults
     * @return a copy with this value replaced
     */
    public TlsOptions withProtocols(String... versions) {
        return new TlsOptions(clientMode, serverName, verifyHostname, applicationProtocols, protocolSelector,
                clientAuth, List.of(versions), handshakeTimeout);
    }

    /**
     * A copy with {@code handshakeTimeout} replaced.
     *
     * @param timeout the handshake must finish within this time, else the stream closes with a {@link java.util.concurrent.TimeoutException}; null for no limit. Default 10 s.
     * @return a copy with this value replaced
     */
    public TlsOptions withHandshakeTimeout(Duration timeout) {
        return new TlsOptions(clientMode, serverName, verifyHostname, applicationProtocols, protocolSelector,
                clientAuth, protocols, timeout);
    }
}
