package io.gale.pubsub;

/** Bytes from a Redis server that are not valid RESP2, or exceed {@link RespReader}'s limits. */
final class RespProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RespProtocolException(String message) {
        super(message);
    }
}
