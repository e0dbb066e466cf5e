package io.gale.websocket;

/**
 * Close status codes (RFC 6455 7.4 and the IANA "WebSocket Close Code Number Registry").
 * Stateless.
 */
public final class CloseCodes {
    /** Normal closure. */
    public static final int NORMAL = 1000;
    /** The endpoint is going away (server shutdown, page navigation). */
    public static final int GOING_AWAY = 1001;
    /** Protocol error. */
    public static final int PROTOCOL_ERROR = 1002;
    /** A data type the endpoint cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reserved: "no status code was present" (never sent on the wire). */
    public static final int NO_STATUS = 1005;
    /** Reserved: the connection closed without a close frame (never sent on the wire). */
    public static final int ABNORMAL = 1006;
    /** Data inconsistent with the message type (invalid UTF-8 in a text message). */
    public static final int INVALID_PAYLOAD = 1007;
    /** Policy violation. */
    public static final int POLICY_VIOLATION = 1008;
    /** Message too big. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The client expected an extension the server did not negotiate. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** Unexpected condition on the server. */
    public static final int INTERNAL_ERROR = 1011;

    private CloseCodes() {
    }

    /**
     * Whether {@code code} may appear in a close frame: 1000-1003, 1007-1014 (1012-1014 are
     * registered with IANA: service restart, try again later, bad gateway), and 3000-4999
     * (libraries, frameworks and applications). 1004-1006 and 1015 are reserved and never sent.
     *
     * @param code the status code
     * @return whether {@code code} may appear in a close frame: 1000-1003, 1007-1014 (1012-1014 are registered with IANA: service restart, try again later, bad gateway), and 3000-4999 (libraries, frameworks and applications)
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
