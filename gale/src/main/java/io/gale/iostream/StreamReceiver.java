package io.gale.iostream;

import java.nio.ByteBuffer;

/**
 * Receives a stream's bytes as they arrive, for protocol parsers that consume input in place
 * (see {@link IOStream#readStreaming}).
 */
@FunctionalInterface
public interface StreamReceiver {
    /**
     * Bytes arrived. Consume what you can by advancing {@code data}'s position; the rest stays in
     * the stream and is offered again, followed by newer bytes, on the next call.
     *
     * @param data the unconsumed bytes, in read mode; often a per-loop scratch buffer, so it is
     *     valid only during this call: copy what must outlive it, and do not keep views of it
     * @return true to go on receiving, false to end this streaming read (what was not consumed
     *     stays buffered for the next read of any kind)
     */
    boolean onData(ByteBuffer data);
}
