package io.gale.http;

/** The HTTP protocol versions Gale speaks. */
public enum HttpVersion {
    /** HTTP/1.0: connections close after each message unless {@code Connection: keep-alive}. */
    HTTP_1_0("HTTP/1.0"),
    /** HTTP/1.1: persistent connections by default. */
    HTTP_1_1("HTTP/1.1"),
    /**
     * HTTP/2 (RFC 9113): binary framing, many requests multiplexed on one connection. Only the
     * client speaks it so far; the HTTP/1 encoder and parser never use it.
     */
    HTTP_2("HTTP/2");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /**
     * The protocol token as sent on the wire, e.g. {@code "HTTP/1.1"} (HTTP/2 has none: its name).
     *
     * @return the protocol token as sent on the wire, e.g
     */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
