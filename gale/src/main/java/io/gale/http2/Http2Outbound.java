package io.gale.http2;

import io.gale.iostream.IOStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a connection writes, gathered into one write per batch (a read's frames answered, or one
 * call of the application): frames are encoded one after the other into a byte array, DATA
 * payloads are the caller's buffers placed between them (not copied; the connection copies payloads
 * of up to a kilobyte into the frames itself), and {@link #flush} hands
 * the whole sequence to {@link IOStream#write(ByteBuffer...)} as one gathering write. The futures
 * of DATA writes complete with that write, i.e. when the bytes were handed to the kernel, so a
 * body producer that waits for them is paced by the socket.
 *
 * <p>The frame array is reused for the next batch only when the stream wrote everything at once;
 * otherwise the write queue still references it and a new one is started. {@link #frame} hands out
 * one reusable view of that array (positioned on the new frame), not a new buffer per frame: a
 * response is a few frames, and 100 streams answered in one read made the per-frame wrappers the
 * largest allocation of the server's HTTP/2 path.
 *
 * <p>Flood accounting: {@link #reply} counts frames owed to the peer (ACKs, RST_STREAM). Those
 * flushed into a non-empty write queue (the peer is not reading) add up until the queue is empty
 * at a flush again; {@link #queuedReplies()} is what the connection compares with
 * {@link Http2Limits#maxQueuedControlFrames()}.
 *
 * <p>Not thread-safe: the connection's loop.
 */
final class Http2Outbound {
    private static final int INITIAL = 4096;

    private final IOStream stream;
    private ByteOut frames = new ByteOut(INITIAL);
    /** The view {@link #frame} returns, over {@code frames}' current array (replaced when that array is). */
    private ByteBuffer view;
    /** Bytes of {@link #frames} already turned into segments. */
    private int cut;
    private ByteBuffer[] segments = new ByteBuffer[8];
    private int segmentCount;
    private final List<CompletableFuture<Void>> completions = new ArrayList<>();
    private int replies;
    private long queuedReplies;

    Http2Outbound(IOStream stream) {
        this.stream = stream;
    }

    /**
     * Room for a frame of {@code size} bytes: a buffer positioned where it goes, its limit after
     * it; write exactly {@code size}. The buffer is valid until the next call (it is reused).
     */
    ByteBuffer frame(int size) {
        int p = frames.reserve(size);
        frames.advance(size);
        byte[] a = frames.array();
        if (view == null || view.array() != a) {
            view = ByteBuffer.wrap(a);
        }
        view.limit(p + size).position(p);
        return view;
    }

    /** Raw bytes (the client preface). */
    void bytes(byte[] b) {
        frame(b.length).put(b);
    }

    /** A frame owed to the peer as an answer (counted for flood detection); {@link #frame} otherwise. */
    ByteBuffer reply(int size) {
        replies++;
        return frame(size);
    }

    /** A DATA payload after the frame header just written; the buffer is written as it is, not copied. */
    void payload(ByteBuffer data) {
        cutFrames();
        addSegment(data);
    }

    /** Completes {@code f} when the next flush's write completes (fails it if that write fails). */
    void onWritten(CompletableFuture<Void> f) {
        completions.add(f);
    }

    boolean isEmpty() {
        return segmentCount == 0 && frames.length() == cut && completions.isEmpty();
    }

    /** Frames owed to the peer that were flushed into a non-empty write queue, in a row. */
    long queuedReplies() {
        return queuedReplies;
    }

    /** Writes everything gathered since the last flush as one gathering write. */
    void flush() {
        if (isEmpty()) {
            return;
        }
        cutFrames();
        ByteBuffer[] out = Arrays.copyOf(segments, segmentCount);
        Arrays.fill(segments, 0, segmentCount, null);
        segmentCount = 0;
        CompletableFuture<Void> w = stream.isClosed()
            ? CompletableFuture.failedFuture(new java.io.IOException("connection closed"))
            : stream.write(out);
        if (!completions.isEmpty()) {
            List<CompletableFuture<Void>> done = new ArrayList<>(completions);
            completions.clear();
            w.whenComplete((v, e) -> {
                for (CompletableFuture<Void> c : done) {
                    if (e != null) {
                        c.completeExceptionally(e);
                    } else {
                        c.complete(null);
                    }
                }
            });
        }
        boolean drained = stream.isClosed() || stream.writeBufferSize() == 0;
        if (replies > 0) {
            queuedReplies = drained ? 0 : queuedReplies + replies;
            replies = 0;
        } else if (drained) {
            queuedReplies = 0;
        }
        if (drained) {
            frames.reset();
        } else {
            frames = new ByteOut(INITIAL); // the write queue still holds the old array
        }
        cut = 0;
    }

    /** Returns a future that completes when everything flushed so far was written (or failed). */
    CompletableFuture<Void> flushed() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        onWritten(f);
        flush();
        return f;
    }

    private void cutFrames() {
        int len = frames.length();
        if (len > cut) {
            addSegment(ByteBuffer.wrap(frames.array(), cut, len - cut));
            cut = len;
        }
    }

    private void addSegment(ByteBuffer b) {
        if (segmentCount == segments.length) {
            segments = Arrays.copyOf(segments, segmentCount * 2);
        }
        segments[segmentCount++] = b;
    }
}
