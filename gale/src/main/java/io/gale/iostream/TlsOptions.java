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
 * TlsOptions c = TlsOptions.client("example.com").toBuilder().applicationProtocols(List.of("h2", "http/1.1")).build();
 * TlsOptions s = TlsOptions.server().toBuilder().clientAuth(TlsOptions.ClientAuth.NEED)
 *     .protocolSelector(offered -> offered.contains("h2") ? "h2" : "http/1.1").build();
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
                    "a TLS client that verifies host names needs a serverName (or use toBuilder().verifyHostname(false))");
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
     * A builder starting from these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builder of {@link TlsOptions}: starts from {@link #client(String)}'s or {@link #server()}'s
     * options ({@link #toBuilder()}); {@link #build()} validates. Not thread-safe.
     */
    public static final class Builder {
        private boolean clientMode;
        private String serverName;
        private boolean verifyHostname;
        private List<String> applicationProtocols;
        private Function<List<String>, String> protocolSelector;
        private ClientAuth clientAuth;
        private List<String> protocols;
        private Duration handshakeTimeout;

        private Builder(TlsOptions from) {
            clientMode = from.clientMode;
            serverName = from.serverName;
            verifyHostname = from.verifyHostname;
            applicationProtocols = from.applicationProtocols;
            protocolSelector = from.protocolSelector;
            clientAuth = from.clientAuth;
            protocols = from.protocols;
            handshakeTimeout = from.handshakeTimeout;
        }

        /**
         * Sets {@link TlsOptions#verifyHostname()}.
         *
         * @param verify the value (defaults and limits: the table on {@link TlsOptions})
         * @return this builder
         */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /**
         * Sets {@link TlsOptions#applicationProtocols()}.
         *
         * @param offered the value (defaults and limits: the table on {@link TlsOptions})
         * @return this builder
         */
        public Builder applicationProtocols(List<String> offered) {
            this.applicationProtocols = offered;
            return this;
        }

        /**
         * Sets {@link TlsOptions#protocolSelector()}.
         *
         * @param selector the value (defaults and limits: the table on {@link TlsOptions})
         * @return this builder
         */
        public Builder protocolSelector(Function<List<String>, String> selector) {
            this.protocolSelector = selector;
            return this;
        }

        /**
         * Sets {@link TlsOptions#clientAuth()}.
         *
         * @param auth the value (defaults and limits: the table on {@link TlsOptions})
         * @return this builder
         */
        public Builder clientAuth(ClientAuth auth) {
            this.clientAuth = auth;
            return this;
        }

        /**
         * Sets {@link TlsOptions#protocols()}.
         *
         * @param versions the value (defaults and limits: the table on {@link TlsOptions})
         * @return this builder
         */
        public Builder protocols(String... versions) {
            this.protocols = List.of(versions);
            return this;
        }

        /**
         * Sets {@link TlsOptions#handshakeTimeout()}.
         *
         * @param timeout the value (defaults and limits: the table on {@link TlsOptions})
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Builds the options, validated as the record's constructor says.
         *
         * @return the options
         */
        public TlsOptions build() {
            return new TlsOptions(clientMode, serverName, verifyHostname, applicationProtocols, protocolSelector, clientAuth, protocols, handshakeTimeout);
        }
    }
}
