package io.gale.iostream;

import java.nio.ByteBuffer;

/**
 * Scratch buffers shared by all streams of one loop thread: the socket is read into
 * {@link #read} (direct, so the kernel copies straight into it), and only what a read does not
 * consume is kept by the stream. Safe because a loop runs one stream's I/O at a time; a stream
 * must never hold on to these buffers across calls or complete a future while using them
 * (a continuation could re-enter and reuse them).
 *
 * <p>Threading: one instance per thread (streams are created on their loop thread and keep a
 * reference to that thread's instance).
 */
final class LoopBuffers {
    static final int READ_SIZE = 64 * 1024;
    /** Ciphertext buffers: several TLS records (16 KiB + overhead each) per syscall. */
    static final int NET_SIZE = 4 * (16 * 1024 + 2048);
    static final int GATHER = 64;
    /** Small buffers of one write are copied into a direct buffer this large and written at once. */
    static final int WRITE_STAGE_SIZE = 16 * 1024;
    /** File bytes read per step when a TLS stream sends a file region (4 full TLS records). */
    static final int FILE_STAGE_SIZE = 64 * 1024;

    private static final ThreadLocal<LoopBuffers> CURRENT = ThreadLocal.withInitial(LoopBuffers::new);

    final ByteBuffer read = ByteBuffer.allocateDirect(READ_SIZE);
    final ByteBuffer[] gather = new ByteBuffer[GATHER];
    /**
     * Heap scratch for streaming reads, so that parsers run on an array; {@link #streamingBusy}
     * while a receiver uses it (a receiver may cause another stream of this loop to read, which
     * then takes the buffered path instead).
     */
    private ByteBuffer streamingRead;
    boolean streamingBusy;
    private ByteBuffer writeStage;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer fileStage;

    static LoopBuffers current() {
        return CURRENT.get();
    }

    ByteBuffer streamingRead() {
        if (streamingRead == null) {
            streamingRead = ByteBuffer.allocate(READ_SIZE);
        }
        return streamingRead;
    }

    ByteBuffer writeStage() {
        if (writeStage == null) {
            writeStage = ByteBuffer.allocateDirect(WRITE_STAGE_SIZE);
        }
        return writeStage;
    }

    ByteBuffer netIn() {
        if (netIn == null) {
            netIn = ByteBuffer.allocateDirect(NET_SIZE);
        }
        return netIn;
    }

    /** Scratch for a TLS stream's file regions; what a step does not send is read again next time. */
    ByteBuffer fileStage() {
        if (fileStage == null) {
            fileStage = ByteBuffer.allocateDirect(FILE_STAGE_SIZE);
        }
        return fileStage;
    }

    ByteBuffer netOut() {
        if (netOut == null) {
            netOut = ByteBuffer.allocateDirect(NET_SIZE);
        }
        return netOut;
    }
}
