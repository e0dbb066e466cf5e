package io.gale.pubsub;

/** A RESP2 error reply ({@code -ERR message}) as a value. */
record RespError(String message) {
}
