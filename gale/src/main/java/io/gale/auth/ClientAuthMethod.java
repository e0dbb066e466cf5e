package io.gale.auth;

/**
 * How the client proves its identity at the token endpoint (the {@code token_endpoint_auth_method}
 * values of OpenID Connect Dynamic Registration and RFC 7591).
 */
public enum ClientAuthMethod {
    /**
     * HTTP Basic with the client id and secret, each form-urlencoded first (RFC 6749 2.3.1); the
     * one every server must support.
     */
    CLIENT_SECRET_BASIC("client_secret_basic"),
    /** {@code client_id} and {@code client_secret} in the form body (RFC 6749 2.3.1, "not recommended" but common: GitHub). */
    CLIENT_SECRET_POST("client_secret_post"),
    /** A public client without a secret: only {@code client_id} is sent, PKCE protects the code. */
    NONE("none");

    private final String value;

    ClientAuthMethod(String value) {
        this.value = value;
    }

    /**
     * The registered name ({@code client_secret_basic}).
     *
     * @return the registered name ({@code client_secret_basic})
     */
    public String value() {
        return value;
    }
}
