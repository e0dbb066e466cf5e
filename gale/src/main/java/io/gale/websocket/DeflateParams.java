package io.gale.websocket;

/**
 * The outcome of a permessage-deflate negotiation, seen from one endpoint.
 *
 * @param level our compression level
 * @param outgoingNoContextTakeover reset our compressor after each message
 * @param incomingNoContextTakeover the peer resets its compressor after each message (so may we
 *     reset our decompressor)
 * @param responseHeader the Sec-WebSocket-Extensions value the server answers with (server side)
 */
record DeflateParams(int level, boolean outgoingNoContextTakeover, boolean incomingNoContextTakeover,
        String responseHeader) {
}
