package io.gale.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/**
 * The default {@link HttpExchange#writeFile}: the region read and written one piece at a time,
 * each piece read after the previous one's write future completed, so at most one piece
 * ({@link #PIECE} bytes) is held. Loop thread only, as the exchange.
 */
final class FilePieces {
    static final int PIECE = 64 * 1024;

    private final HttpExchange exchange;
    private final FileChannel file;
    private long position;
    private long left;

    private FilePieces(HttpExchange exchange, FileChannel file, long position, long count) {
        this.exchange = exchange;
        this.file = file;
        this.position = position;
        this.left = count;
    }

    static CompletableFuture<Void> write(HttpExchange exchange, FileChannel file, long position, long count) {
        return new FilePieces(exchange, file, position, count).next();
    }

    private CompletableFuture<Void> next() {
        ByteBuffer piece = ByteBuffer.allocate((int) Math.min(left, PIECE));
        try {
            while (piece.hasRemaining()) {
                if (file.read(piece, position + piece.position()) < 0) {
                    throw new IOException("file ended before the region being written");
                }
            }
        } catch (IOException e) {
            exchange.close(); // the response cannot be completed
            return CompletableFuture.failedFuture(e);
        }
        position += piece.flip().remaining();
        left -= piece.remaining();
        CompletableFuture<Void> written = exchange.write(piece);
        return left == 0 ? written : written.thenCompose(v -> next());
    }
}
