package io.gale.websocket;

import java.security.SecureRandom;

/**
 * Mask keys for client frames. RFC 6455 10.3 asks for keys an attacker cannot predict, so every
 * key comes from {@link SecureRandom}. To keep SecureRandom's cost (a synchronised call, possibly
 * a system call) off the per-frame path, keys are drawn 64 at a time into a per-connection batch:
 * one SecureRandom call per 64 frames, still unpredictable, no weaker generator in between.
 *
 * <p>Not thread-safe: one source per connection, used on its loop.
 */
final class MaskKeySource {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BATCH = 64;

    private final byte[] batch = new byte[BATCH * 4];
    private int next = BATCH;

    int nextKey() {
        if (next == BATCH) {
            RANDOM.nextBytes(batch);
            next = 0;
        }
        int p = next++ << 2;
        return (batch[p] & 0xFF) << 24 | (batch[p + 1] & 0xFF) << 16 | (batch[p + 2] & 0xFF) << 8 | (batch[p + 3] & 0xFF);
    }
}
