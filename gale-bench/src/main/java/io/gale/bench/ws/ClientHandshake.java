package io.gale.bench.ws;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The client side of the WebSocket opening handshake (RFC 6455 section 4.1) on a blocking
 * {@link SocketChannel}, for the benchmark clients only: no extensions are offered (so no
 * compression), and the key is the RFC's sample, so the expected {@code Sec-WebSocket-Accept} is a
 * constant instead of a SHA-1 per connection.
 *
 * <p>Stateless; safe from any thread.
 */
final class ClientHandshake {
    /** RFC 6455 section 1.3: this key's accept value. */
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private static final int MAX_RESPONSE = 8192;

    private ClientHandshake() {}

    static byte[] request(String host, int port, String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends the upgrade request and reads the response up to its blank line. Returns the bytes
     * that followed the response head (frames the server sent at once; usually none).
     *
     * @throws IOException unless the answer is a 101 with the expected accept value
     */
    static ByteBuffer perform(SocketChannel ch, byte[] request) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
            ch.write(out);
        }
        ByteBuffer in = ByteBuffer.allocate(MAX_RESPONSE);
        int end;
        while ((end = headEnd(in.array(), in.position())) < 0) {
            if (!in.hasRemaining()) {
                throw new IOException("handshake response head longer than " + MAX_RESPONSE + " bytes");
            }
            if (ch.read(in) < 0) {
                throw new EOFException("server closed during the handshake");
            }
        }
        String head = new String(in.array(), 0, end, StandardCharsets.ISO_8859_1);
        check(head);
        return ByteBuffer.wrap(in.array(), end, in.position() - end).slice();
    }

    /** Validates a response head (status line and headers, without the blank line's end). */
    static void check(String head) throws IOException {
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head.lines().findFirst().orElse(""));
        }
        boolean accepted = head.lines().anyMatch(l -> {
            int colon = l.indexOf(':');
            return colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Accept")
                    && l.substring(colon + 1).trim().equals(ACCEPT);
        });
        if (!accepted) {
            throw new IOException("handshake response without the expected Sec-WebSocket-Accept");
        }
        if (head.lines().anyMatch(l -> l.regionMatches(true, 0, "Sec-WebSocket-Extensions:", 0, 25))) {
            throw new IOException("server negotiated an extension nobody offered");
        }
    }

    /** Index just past the first CRLFCRLF in buf[0, len), or -1. */
    static int headEnd(byte[] buf, int len) {
        for (int i = 3; i < len; i++) {
            if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }
}
