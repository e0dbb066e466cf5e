package io.gale.httpclient;

/**
 * One hop's request and response on one connection, as {@link FetchCall} sees it: HTTP/1.1
 * ({@link Exchange}) or an HTTP/2 stream ({@link Http2Exchange}). Threading: the client's loop.
 */
interface HopExchange {
    /** Sends the request; the outcome goes to the call. */
    void start();

    /** The call gave up (timeout): ends the exchange without telling the call. */
    void abort(Throwable reason);

    ClientConnection connection();

    /** The connection carried exchanges before this one. */
    boolean reused();

    /** Whether any response byte arrived for this exchange (a retry is unsafe then). */
    boolean receivedAny();

    /** The Location the call follows (its body was discarded), or null for the final response. */
    String redirectLocation();

    /** When the response head arrived ({@link System#nanoTime()}). */
    long firstByteNanos();
}
