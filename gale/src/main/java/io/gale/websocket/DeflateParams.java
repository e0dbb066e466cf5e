package io.gale.websocket;

/**
 * The outcome of a permessage-deflate negotiation, seen from one endpoint.
 *
 * @param level our compression level
 * @param outgoingNoContextTakeover reset our compressor after each message
 * @param incomingNoContextTakeover the peer resets its compressor after each message (so may we
 *     reset our decompressor)
 * @param outgoingWindowBits the largest LZ77 window (8-15 bits) our compressor may use: the
 *     negotiated server_max_window_bits on the server, client_max_window_bits on the client
 * @param responseHeader the Sec-WebSocket-Extensions value the server answers with (server side)
 */
record DeflateParams(int level, boolean outgoingNoContextTakeover, boolean incomingNoContextTakeover,
        int outgoingWindowBits, String responseHeader) {

    /** Parameters with a full 15-bit outgoing window. */
    DeflateParams(int level, boolean outgoingNoContextTakeover, boolean incomingNoContextTakeover,
            String responseHeader) {
        this(level, outgoingNoContextTakeover, incomingNoContextTakeover, 15, responseHeader);
    }
}
