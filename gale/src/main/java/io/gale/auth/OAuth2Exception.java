package io.gale.auth;

import io.gale.web.HttpError;
import java.util.Locale;

/**
 * Why a login or a call to a provider failed. It is an {@link HttpError}: thrown out of a handler
 * (or failing the stage a handler returns) it becomes an error page with {@link #statusCode()}
 * and one WARNING log line naming the {@link #kind()} and the detail, never a 500 with a stack
 * trace; the detail stays in the log and the visitor sees only the status.
 *
 * <pre>{@code
 * // a friendlier page for a visitor who cancelled at the provider
 * @Override
 * protected void writeError(int status, Throwable error) {
 *     if (error instanceof OAuth2Exception o && o.kind() == OAuth2Exception.Kind.ACCESS_DENIED) {
 *         write("Login cancelled. <a href=\"/login\">Try again</a>");
 *         return;
 *     }
 *     super.writeError(status, error);
 * }
 * }</pre>
 *
 * <p>{@link #getCause()} is the underlying failure, if any (a connection error, a JOSE
 * exception), for the log. Immutable.
 */
public final class OAuth2Exception extends HttpError {
    private static final long serialVersionUID = 1L;

    /** What went wrong, and the status a page answers it with. */
    public enum Kind {
        /**
         * The request at the callback URL is not the end of a login this browser started: no
         * {@code code}, no or a different {@code state}, no (or an expired, or a forged) login
         * cookie, a different issuer in {@code iss}. 400.
         */
        INVALID_CALLBACK(400),
        /** The provider sent the browser back with an error ({@code access_denied}: the user said no). 403. */
        ACCESS_DENIED(403),
        /**
         * The provider's token endpoint answered an OAuth 2 error: {@code invalid_grant} (a code
         * used twice, expired, or not matching the PKCE verifier; GitHub's
         * {@code bad_verification_code}) is 400, anything else
         * ({@code invalid_client}: a wrong client secret) 502.
         */
        PROVIDER_ERROR(502),
        /** The provider could not be reached, timed out, answered 5xx, or sent too much. 502. */
        PROVIDER_UNAVAILABLE(502),
        /**
         * The provider's answer is not what the protocol says: not JSON, fields missing, a
         * discovery document for another issuer, userinfo for another subject. 502.
         */
        INVALID_RESPONSE(502),
        /**
         * The ID token failed verification: signature, algorithm, key, issuer, audience,
         * {@code azp}, expiry, {@code iat}, {@code nonce}. 403.
         */
        INVALID_ID_TOKEN(403);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /**
         * The HTTP status a login page answers with.
         *
         * @return the HTTP status a login page answers with
         */
        public int status() {
            return status;
        }
    }

    private static final int MAX_TEXT = 300;

    /**
     * The kind.
     */
    private final Kind kind;
    /**
     * The error.
     */
    private final String error;
    /**
     * The description.
     */
    private final String description;
    private final transient Throwable cause;

    /**
     * A failure of {@code kind} with a detail for the log.
     *
     * @param kind the kind of failure
     * @param description the description
     */
    public OAuth2Exception(Kind kind, String description) {
        this(kind, null, description, null);
    }

    /**
     * A failure of {@code kind} with a detail for the log and its cause.
     *
     * @param kind the kind of failure
     * @param description the description
     * @param cause the cause
     */
    public OAuth2Exception(Kind kind, String description, Throwable cause) {
        this(kind, null, description, cause);
    }

    /**
     * A failure the provider reported with an OAuth 2 {@code error} code (RFC 6749 5.2 and 4.1.2.1)
     * and its {@code error_description}.
     *
     * @param kind the kind of failure
     * @param error the error
     * @param description the description
     * @param cause the cause
     */
    public OAuth2Exception(Kind kind, String error, String description, Throwable cause) {
        super(status(kind, error), "OAuth2 login failed (%s%s): %s", kind.name().toLowerCase(Locale.ROOT),
                error == null ? "" : ", " + printable(error), description == null ? "" : printable(description));
        this.kind = kind;
        this.error = error == null ? null : printable(error);
        this.description = description == null ? null : printable(description);
        this.cause = cause;
    }

    /**
     * Text from the provider or the visitor as one bounded log line: controls become spaces, at
     * most {@value #MAX_TEXT} characters (an {@code error_description} is the provider's free
     * text, and a callback's {@code error} the visitor's).
     */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_TEXT + 3));
        for (int i = 0; i < s.length() && i < MAX_TEXT; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return s.length() > MAX_TEXT ? sb.append("...").toString() : sb.toString();
    }

    private static int status(Kind kind, String error) {
        // invalid_grant, and GitHub's name for it: the visitor's code is spent or expired
        return kind == Kind.PROVIDER_ERROR && ("invalid_grant".equals(error) || "bad_verification_code".equals(error))
                ? 400 : kind.status();
    }

    /**
     * The kind.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The provider's OAuth 2 error code ({@code invalid_grant}, {@code access_denied}), or null.
     *
     * @return the provider's OAuth 2 error code ({@code invalid_grant}, {@code access_denied}), or null
     */
    public String error() {
        return error;
    }

    /**
     * What went wrong, in words (the provider's {@code error_description} when it sent one).
     *
     * @return what went wrong, in words (the provider's {@code error_description} when it sent one)
     */
    public String description() {
        return description;
    }

    /** The underlying failure, or null ({@link HttpError}s carry no cause of their own). */
    @Override
    public synchronized Throwable getCause() {
        return cause;
    }
}
