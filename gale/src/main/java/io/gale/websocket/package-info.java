/**
 * WebSockets (RFC 6455) with permessage-deflate (RFC 7692): {@link io.gale.websocket.WebSocketHandler}
 * for servers, {@link io.gale.websocket.WebSocketClient} for clients, and
 * {@link io.gale.websocket.WebSocketMessage} for messages (pre-encoded once for broadcasts).
 * The frame codec and the protocol engine are package-private.
 */
package io.gale.websocket;
