package io.gale.websocket;

import java.util.zip.Deflater;

/**
 * permessage-deflate settings (RFC 7692), for a {@link WebSocketHandler} (see
 * {@link WebSocketHandler#getCompressionOptions()}) or a {@link WebSocketClient} connection.
 *
 * <p>Window sizes: every window a peer asks for, 8 to 15 bits, is honoured. Gale compresses with
 * the JDK's {@link Deflater} at the full 15-bit (32 KiB) window, and with JZlib (a pure-Java zlib
 * that takes window bits) when the peer asked for less: a server accepts any
 * {@code server_max_window_bits} offer, and a client offers {@code client_max_window_bits} and
 * keeps to the server's answer. zlib has no 8-bit compressor; 8 is served with 9, whose matches
 * never reach back beyond 256 bytes. Decompression (the JDK's {@code Inflater}) reads any window.
 * Limiting the peer: {@link #clientMaxWindowBits()} (server side, only when the client offered the
 * parameter) and {@link #serverMaxWindowBits()} (client side) ask the peer to compress with a
 * smaller window, which saves the peer memory.
 * zlib's memLevel is not exposed by the JDK either (it is fixed at 8, zlib's default).
 *
 * @param level deflate level 0-9 (Tornado's default 6)
 * @param serverNoContextTakeover the server resets its compressor after each message (costs ratio,
 *     saves 32 KiB+ per connection, and lets a server share one compressed broadcast frame)
 * @param clientNoContextTakeover ask the client to reset its compressor after each message
 * @param serverMaxWindowBits client side: window the server is asked to use (8-15; 15 = no request)
 * @param clientMaxWindowBits server side: window the client is asked to use (8-15; 15 = no request)
 */
public record CompressionOptions(int level, boolean serverNoContextTakeover, boolean clientNoContextTakeover,
        int serverMaxWindowBits, int clientMaxWindowBits) {

    /** Validates the ranges. */
    public CompressionOptions {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level must be 0-9: " + level);
        }
        checkBits(serverMaxWindowBits);
        checkBits(clientMaxWindowBits);
    }

    private static void checkBits(int bits) {
        if (bits < 8 || bits > 15) {
            throw new IllegalArgumentException("window bits must be 8-15: " + bits);
        }
    }

    /**
     * Level 6, context takeover both ways, full windows.
     *
     * @return the defaults
     */
    public static CompressionOptions defaults() {
        return new CompressionOptions(6, false, false, 15, 15);
    }

    /**
     * A builder starting from the defaults ({@link #defaults()}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(defaults());
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
     * Builder of {@link CompressionOptions}: starts from the defaults ({@link #builder()}) or from existing
     * options ({@link #toBuilder()}); {@link #build()} validates. Not thread-safe.
     */
    public static final class Builder {
        private int level;
        private boolean serverNoContextTakeover;
        private boolean clientNoContextTakeover;
        private int serverMaxWindowBits;
        private int clientMaxWindowBits;

        private Builder(CompressionOptions from) {
            level = from.level;
            serverNoContextTakeover = from.serverNoContextTakeover;
            clientNoContextTakeover = from.clientNoContextTakeover;
            serverMaxWindowBits = from.serverMaxWindowBits;
            clientMaxWindowBits = from.clientMaxWindowBits;
        }

        /**
         * With another deflate level.
         *
         * @param level deflate level 0-9 (Tornado's default 6)
         * @return this builder
         */
        public Builder level(int level) {
            this.level = level;
            return this;
        }

        /**
         * With or without server_no_context_takeover.
         *
         * @param on the server resets its compressor after each message (costs ratio, saves 32 KiB+ per connection, and lets a server share one compressed broadcast frame)
         * @return this builder
         */
        public Builder serverNoContextTakeover(boolean on) {
            this.serverNoContextTakeover = on;
            return this;
        }

        /**
         * With or without client_no_context_takeover.
         *
         * @param on ask the client to reset its compressor after each message
         * @return this builder
         */
        public Builder clientNoContextTakeover(boolean on) {
            this.clientNoContextTakeover = on;
            return this;
        }

        /**
         * With a server_max_window_bits request (client side).
         *
         * @param bits client side: window the server is asked to use (8-15; 15 = no request)
         * @return this builder
         */
        public Builder serverMaxWindowBits(int bits) {
            this.serverMaxWindowBits = bits;
            return this;
        }

        /**
         * With a client_max_window_bits limit (server side).
         *
         * @param bits server side: window the client is asked to use (8-15; 15 = no request)
         * @return this builder
         */
        public Builder clientMaxWindowBits(int bits) {
            this.clientMaxWindowBits = bits;
            return this;
        }

        /**
         * Builds the options, validated as the record's constructor says.
         *
         * @return the options
         */
        public CompressionOptions build() {
            return new CompressionOptions(level, serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits);
        }
    }
}
