package io.gale.demos.httpbin;

import io.gale.web.RequestHandler;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Writes a response in pieces, flushing each one and writing the next only once the previous
 * flush completed: the client's pace (the connection's backpressure) drives it, and memory stays
 * at one piece. Iterative, so flushes that complete at once do not deepen the stack.
 *
 * <p>Threading: on the handler's loop; {@code flush} futures complete there.
 */
final class ChunkPump {
    private final RequestHandler handler;
    private final Supplier<byte[]> next;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private ChunkPump(RequestHandler handler, Supplier<byte[]> next) {
        this.handler = handler;
        this.next = next;
    }

    /**
     * Starts pumping; {@code next} returns each piece, then null.
     *
     * @return completes once every piece was flushed; fails when a flush fails (client gone)
     */
    static CompletableFuture<Void> pump(RequestHandler handler, Supplier<byte[]> next) {
        ChunkPump p = new ChunkPump(handler, next);
        p.run();
        return p.done;
    }

    private void run() {
        try {
            while (true) {
                byte[] piece = next.get();
                if (piece == null) {
                    done.complete(null);
                    return;
                }
                handler.write(piece);
                CompletableFuture<Void> flushed = handler.flush();
                if (!flushed.isDone()) {
                    flushed.whenComplete((v, e) -> {
                        if (e != null) {
                            done.completeExceptionally(e);
                        } else {
                            run();
                        }
                    });
                    return;
                }
                flushed.join(); // done: rethrows its failure
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }
}
