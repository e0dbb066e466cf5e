package io.gale.websocket;

import java.util.zip.Deflater;

/**
 * permessage-deflate settings (RFC 7692), for a {@link WebSocketHandler} (see
 * {@link WebSocketHandler#getCompressionOptions()}) or a {@link WebSocketClient} connection.
 *
 * <p>Window sizes: the JDK's {@link Deflater} always compresses with a 32 KiB (15-bit) window and
 * cannot be limited, while its {@code Inflater} reads any window. Hence Gale never promises to
 * compress with a smaller window: a server declines an offer whose {@code server_max_window_bits}
 * is below 15 (RFC 7692 7.1.2.1 allows declining), and a client never offers
 * {@code client_max_window_bits}. Limiting the peer is fine: {@link #clientMaxWindowBits()} (server
 * side, only when the client offered the parameter) and {@link #serverMaxWindowBits()} (client
 * side) ask the peer to compress with a smaller window, which saves the peer memory.
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
     * With another deflate level.
     *
     * @param level deflate level 0-9 (Tornado's default 6)
     * @return a copy with this value replaced
     */
    public CompressionOptions withLevel(int level) {
        return new CompressionOptions(level, serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
                clientMaxWindowBits);
    }

    /**
     * With or without server_no_context_takeover.
     *
     * @param on the server resets its compressor after each message (costs ratio, saves 32 KiB+ per connection, and lets a server share one compressed broadcast frame)
     * @return a copy with this value replaced
     */
    public CompressionOptions withServerNoContextTakeover(boolean on) {
        return new CompressionOptions(level, on, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits);
    }

    /**
     * With or without client_no_context_takeover.
     *
     * @param on ask the client to reset its compressor after each message
     * @return a copy with this value replaced
     */
    public CompressionOptions withClientNoContextTakeover(boolean on) {
        return new CompressionOptions(level, serverNoContextTakeover, on, serverMaxWindowBits, clientMaxWindowBits);
    }

    /**
     * With a server_max_window_bits request (client side).
     *
     * @param bits client side: window the server is asked to use (8-15; 15 = no request)
     * @return a copy with this value replaced
     */
    public CompressionOptions withServerMaxWindowBits(int bits) {
        return new CompressionOptions(level, serverNoContextTakeover, clientNoContextTakeover, bits, clientMaxWindowBits);
    }

    /**
     * With a client_max_window_bits limit (server side).
     *
     * @param bits server side: window the client is asked to use (8-15; 15 = no request)
     * @return a copy with this value replaced
     */
    public CompressionOptions withClientMaxWindowBits(int bits) {
        return new CompressionOptions(level, serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, bits);
    }
}
