package io.gale.http;

/** The HTTP/1.x protocol versions Gale speaks. */
public enum HttpVersion {
    /** HTTP/1.0: connections close after each message unless {@code Connection: keep-alive}. */
    HTTP_1_0("HTTP/1.0"),
    /** HTTP/1.1: persistent connections by default. */
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /**
     * The protocol token as sent on the wire, e.g. {@code "HTTP/1.1"}.
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
