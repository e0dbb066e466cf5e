package io.gale.iostream;

import io.gale.ioloop.ChannelRegistration;
import io.gale.ioloop.IOHandler;
import io.gale.ioloop.IOLoop;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A buffered, non-blocking TCP stream on one {@link IOLoop} (Tornado's {@code IOStream}).
 *
 * <pre>{@code
 * IOStream.connect(loop, new InetSocketAddress("example.com", 80))
 *     .thenCompose(s -> s.write("GET / HTTP/1.0\r\nHost: example.com\r\n\r\n".getBytes(US_ASCII))
 *         .thenCompose(v -> s.readUntil("\r\n\r\n".getBytes(US_ASCII), 65536)))
 *     .thenAccept(head -> System.out.println(new String(head, ISO_8859_1)));
 * }</pre>
 *
 * <p><b>Threading.</b> A stream belongs to one loop: create it on the loop thread (or use
 * {@link #create}/{@link #connect}, which hop there) and call its methods only there. Only
 * {@link #close()} and {@link #close(Throwable)} may be called from any thread (they hop to the
 * loop). Futures complete on the loop thread, so their continuations run there too.
 *
 * <p><b>Reads.</b> One read at a time; a second read while one is pending throws
 * {@link IllegalStateException}. Reads are satisfied from the buffer first, then from the
 * socket at once (no extra loop iteration). Bytes that arrived before the stream closed still
 * satisfy later reads. Byte results are fresh arrays owned by the caller.
 *
 * <p><b>Writes.</b> {@code write} queues the caller's buffers without copying them (do not
 * modify them until the write's future completes), tries to write at once, and gathers queued
 * buffers into one system call. The returned future completes as described at
 * {@link IOStreamOptions#writeHighWaterMark()}.
 *
 * <p><b>File regions.</b> {@link #writeFile} queues a region of a file in the same order as the
 * buffers: a plain stream hands it to the kernel with {@link FileChannel#transferTo}
 * ({@code sendfile(2)} on Linux: no copy through the JVM), one slice at a time as the socket
 * drains, from the loop; a {@link SslIOStream} must encrypt, and reads it through one bounded
 * per-loop buffer instead. Either way a queued region holds no memory, so a slow reader of a large
 * file pins nothing; {@link #writeBufferSize()} does not count it. The disk read happens on the
 * loop thread (as with nginx without aio): serve files that are mostly in the page cache.
 *
 * <p><b>Closing.</b> When the stream closes (locally, on EOF, on an error) the pending read and
 * writes fail with {@link StreamClosedException}, whose cause is {@link #error()}; then the close
 * callback runs. A clean close by the peer is reported as an {@link EOFException}.
 *
 * <p><b>Memory.</b> The socket is read into a per-loop scratch buffer; a stream keeps only the
 * bytes no read has consumed yet, and drops its buffer arrays when they are empty. An idle
 * stream holds a few hundred bytes.
 *
 * <p><b>Extending.</b> The socket I/O goes through {@link #readFromChannel},
 * {@link #writeToChannel} and a few hooks, which {@link SslIOStream} overrides to add TLS.
 */
public class IOStream {
    /**
     * The logger, created on first use: SLF4J binds its provider on the first getLogger
     * (tens of ms), which a server that has logged nothing yet should not pay before its first
     * response.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(IOStream.class);
    }
    private static final ByteBuffer[] NO_BUFFERS = new ByteBuffer[0];
    /** Futures completed on the caller's stack in a row before one goes through the loop. */
    private static final int MAX_SYNC_COMPLETIONS = 32;

    final IOLoop loop;
    final SocketChannel channel;
    final IOStreamOptions options;
    final LoopBuffers buffers;
    final ReadBuffer readBuffer = new ReadBuffer();
    private final Dispatcher dispatcher;
    private final ChannelRegistration registration;
    private final WriteQueue writeQueue = new WriteQueue();

    private Read<?> pendingRead;
    private CompletableFuture<IOStream> connectFuture;
    private boolean connecting;
    private boolean closed;
    /** Set when the channel was handed to another stream (startTls): never close it here. */
    private boolean detached;
    private boolean flushing;
    /** The last socket read returned less than asked (see {@link #shortReadMeansDrained}). */
    private boolean lastReadDrained;
    /** Completions since the loop last called in (see completeInline). */
    private int syncCompletions;
    private Throwable error;
    private Runnable closeCallback;
    /**
     * Application bytes read from and written to the socket (after TLS decryption, before
     * encryption): plain adds on the loop thread, for metrics. Other threads read them without
     * synchronisation and may see a slightly old value.
     */
    long bytesRead;
    long bytesWritten;

    /**
     * Wraps a connected (or connecting) channel with default options. Loop thread only.
     *
     * @param loop the loop
     * @param channel the channel
     */
    public IOStream(IOLoop loop, SocketChannel channel) {
        this(loop, channel, IOStreamOptions.defaults());
    }

    /**
     * Wraps a connected (or connecting) channel. Loop thread only.
     *
     * @param loop the loop
     * @param channel the channel
     * @param options the options
     */
    public IOStream(IOLoop loop, SocketChannel channel, IOStreamOptions options) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.options = Objects.requireNonNull(options, "options");
        checkLoop();
        this.buffers = LoopBuffers.current();
        this.connecting = channel.isConnectionPending();
        this.dispatcher = new Dispatcher(this);
        this.registration = loop.register(channel, connecting ? SelectionKey.OP_CONNECT : 0, dispatcher);
    }

    /** Takes over {@code from}'s channel and registration (for {@link #startTls}). */
    IOStream(IOStream from, IOStreamOptions options) {
        this.loop = from.loop;
        this.channel = from.channel;
        this.options = options;
        this.buffers = from.buffers;
        this.dispatcher = from.dispatcher;
        this.registration = from.registration;
        dispatcher.stream = this;
    }

    /**
     * Creates a stream for {@code channel} on the loop thread; safe from any thread.
     *
     * @param loop the loop
     * @param channel the channel
     * @param options the options
     * @return the new completable future
     */
    public static CompletableFuture<IOStream> create(IOLoop loop, SocketChannel channel, IOStreamOptions options) {
        CompletableFuture<IOStream> f = new CompletableFuture<>();
        loop.runOrSubmit(() -> {
            try {
                f.complete(new IOStream(loop, channel, options));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /**
     * Opens a connection to {@code remote}; the future completes on the loop once connected, or
     * fails with the connect error (for example {@link java.net.ConnectException}). Safe from any
     * thread.
     *
     * @param loop the loop
     * @param remote the address to connect to
     * @param options the options
     * @return a future of the I/O stream
     */
    public static CompletableFuture<IOStream> connect(IOLoop loop, SocketAddress remote, IOStreamOptions options) {
        CompletableFuture<IOStream> f = new CompletableFuture<>();
        loop.runOrSubmit(() -> {
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                ch.configureBlocking(false);
                boolean connected = ch.connect(remote);
                IOStream s = new IOStream(loop, ch, options);
                if (connected) {
                    f.complete(s);
                } else {
                    s.connectFuture = f;
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /**
     * Same as {@link #connect(IOLoop, SocketAddress, IOStreamOptions)} with default options.
     *
     * @param loop the loop
     * @param remote the address to connect to
     * @return a future of the I/O stream
     */
    public static CompletableFuture<IOStream> connect(IOLoop loop, SocketAddress remote) {
        return connect(loop, remote, IOStreamOptions.defaults());
    }

    // ------------------------------------------------------------------------------- reads

    /**
     * Reads up to and including {@code delimiter}. If it is not found within {@code maxBytes}
     * bytes, the stream closes with {@link UnsatisfiableReadException}.
     *
     * @param delimiter the delimiter
     * @param maxBytes the most bytes to read
     * @return a future of the bytes up to and including {@code delimiter}
     */
    public CompletableFuture<byte[]> readUntil(byte[] delimiter, int maxBytes) {
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("empty delimiter");
        }
        checkMax(maxBytes);
        return startRead(new Read.Delimiter(delimiter.clone(), maxBytes));
    }

    /**
     * {@link #readUntil(byte[], int)} limited only by {@link IOStreamOptions#maxBufferSize()}.
     *
     * @param delimiter the delimiter
     * @return a future of the bytes
     */
    public CompletableFuture<byte[]> readUntil(byte[] delimiter) {
        return readUntil(delimiter, Integer.MAX_VALUE);
    }

    /**
     * Reads up to and including the first match of {@code pattern}, matched against the
     * buffered bytes decoded as ISO-8859-1 (one char per byte, so positions are byte offsets).
     * Not found within {@code maxBytes} closes the stream with {@link UnsatisfiableReadException}.
     * The pattern is re-run over the whole buffer each time data arrives; prefer
     * {@link #readUntil} where a fixed delimiter will do.
     *
     * @param pattern the pattern
     * @param maxBytes the most bytes to read
     * @return a future of the bytes up to and including the first match of {@code pattern}
     */
    public CompletableFuture<byte[]> readUntilRegex(Pattern pattern, int maxBytes) {
        Objects.requireNonNull(pattern, "pattern");
        checkMax(maxBytes);
        return startRead(new Read.Regex(pattern, maxBytes));
    }

    /**
     * Reads exactly {@code n} bytes, or with {@code partial} as soon as at least one byte is
     * available, at most {@code n}.
     *
     * @param n the number
     * @param partial whether fewer bytes may complete the read
     * @return a future of the bytes read
     */
    public CompletableFuture<byte[]> readBytes(int n, boolean partial) {
        if (n < 0) {
            throw new IllegalArgumentException("negative byte count: " + n);
        }
        return startRead(new Read.Bytes(n, partial));
    }

    /**
     * Reads into {@code dst} until it is full, or with {@code partial} as soon as any bytes were
     * stored; the future gives the number of bytes stored. On a plain stream with nothing
     * buffered, the socket is read straight into {@code dst}. The stream uses {@code dst} until
     * the future completes.
     *
     * @param dst where to copy
     * @param partial whether fewer bytes may complete the read
     * @return a future of the number of bytes stored
     */
    public CompletableFuture<Integer> readInto(ByteBuffer dst, boolean partial) {
        Objects.requireNonNull(dst, "dst");
        return startRead(new Read.Into(dst, partial));
    }

    /**
     * A streaming read: hands bytes to {@code receiver} as they arrive (buffered bytes first, at
     * once) until it returns false, leaving unconsumed bytes in the stream. On a plain stream
     * with nothing buffered, the socket is read into a per-loop heap buffer that the receiver
     * parses in place: no allocation and no copy beyond the kernel's, and only bytes the receiver
     * leaves are copied into the stream. One socket read per readiness event, so one busy
     * connection cannot starve the others of its loop.
     *
     * <p>The future completes when the receiver returned false, and fails with
     * {@link StreamClosedException} if the stream closes first. An exception thrown by the
     * receiver closes the stream.
     *
     * @param receiver the receiver
     * @return a future that completes when {@code receiver} returned false, or fails with the error
     */
    public CompletableFuture<Void> readStreaming(StreamReceiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        return startRead(new Read.Streaming(receiver));
    }

    /**
     * Reads everything until the peer closes the connection. Completes normally on a clean close
     * (EOF, or {@link #close()} without a reason); fails with {@link StreamClosedException} when
     * the stream closed because of an error.
     *
     * @return a future of every byte until the peer closes the connection
     */
    public CompletableFuture<byte[]> readUntilClose() {
        return startRead(new Read.UntilClose());
    }

    private static void checkMax(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
    }

    private <T> CompletableFuture<T> startRead(Read<T> read) {
        checkLoop();
        if (pendingRead != null) {
            throw new IllegalStateException(
                    "Already reading: an IOStream allows one read at a time; wait for the previous read's future");
        }
        if (detached) {
            throw new IllegalStateException("This IOStream was converted to TLS; use the SslIOStream");
        }
        pendingRead = read;
        readNow();
        return read.future;
    }

    /**
     * Satisfies the pending read from the buffer, else reads the socket until it is satisfied or
     * the socket has nothing more; with no read pending, reads ahead up to the read-ahead limit.
     */
    final void readNow() {
        if (pendingRead instanceof Read.Streaming s) {
            streamNow(s);
            return;
        }
        if (pendingRead != null && satisfyFromBuffer()) {
            return;
        }
        if (closed) {
            failPendingRead();
            return;
        }
        if (!ioReady()) {
            updateInterest();
            return;
        }
        boolean eof = false;
        try {
            while (true) {
                int n = readStep();
                if (n < 0) {
                    eof = true;
                    break;
                }
                if (n == 0) {
                    break;
                }
                if (pendingRead != null) {
                    if (satisfyFromBuffer()) {
                        return; // the continuation may have started the next read; it owns the stream now
                    }
                } else if (readBuffer.size() >= options.readAheadLimit()) {
                    break;
                }
                if (readBuffer.size() > options.maxBufferSize()) {
                    Log.LOG.info("Reached maximum read buffer size ({} bytes), closing {}", options.maxBufferSize(), this);
                    close(new StreamBufferFullException("read buffer exceeded " + options.maxBufferSize() + " bytes"));
                    return;
                }
                if (lastReadDrained) {
                    break; // a read the socket could not fill: the next one would find nothing
                }
            }
        } catch (IOException e) {
            close(e);
            return;
        }
        if (eof) {
            close(new EOFException("connection closed by peer"));
            return;
        }
        updateInterest();
    }

    /** Drives a streaming read: buffered bytes first, then at most one socket read. */
    private void streamNow(Read.Streaming s) {
        if (!readBuffer.isEmpty() && !deliverBuffered(s)) {
            if (closed) {
                failPendingRead(); // bytes that arrived before the close were offered; nothing more comes
            }
            return;
        }
        if (closed) {
            failPendingRead();
            return;
        }
        if (!ioReady()) {
            updateInterest();
            return;
        }
        int n;
        try {
            if (readBuffer.isEmpty() && canReadDirect() && !buffers.streamingBusy) {
                ByteBuffer heap = buffers.streamingRead();
                heap.clear();
                n = readFromChannel(heap);
                if (n > 0) {
                    bytesRead += n;
                    heap.flip();
                    boolean more;
                    buffers.streamingBusy = true;
                    try {
                        more = s.receiver.onData(heap);
                    } finally {
                        buffers.streamingBusy = false;
                    }
                    if (heap.hasRemaining() && !closed) {
                        readBuffer.append(heap);
                    }
                    if (!more) {
                        endStreaming(s);
                    }
                }
            } else {
                // Into the buffer. TLS decrypts there and may hold decrypted-but-unread records
                // that no readiness event will announce: read until nothing more comes.
                while ((n = readStep()) > 0) {
                    if (!deliverBuffered(s)) {
                        if (closed) {
                            failPendingRead();
                        }
                        return;
                    }
                    if (readBuffer.size() > options.maxBufferSize()) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            close(e);
            return;
        } catch (RuntimeException e) {
            close(e);
            return;
        }
        if (n < 0) {
            close(new EOFException("connection closed by peer"));
            return;
        }
        if (readBuffer.size() > options.maxBufferSize()) {
            Log.LOG.info("Reached maximum read buffer size ({} bytes), closing {}", options.maxBufferSize(), this);
            close(new StreamBufferFullException("read buffer exceeded " + options.maxBufferSize() + " bytes"));
            return;
        }
        if (!closed) {
            updateInterest();
        }
    }

    /** Offers the buffered bytes; true if the streaming read goes on (and the stream is open). */
    private boolean deliverBuffered(Read.Streaming s) {
        ByteBuffer view = readBuffer.view();
        int before = view.position();
        boolean more;
        try {
            more = s.receiver.onData(view);
        } catch (RuntimeException e) {
            close(e);
            return false;
        }
        if (!closed) {
            readBuffer.skip(view.position() - before);
        }
        if (!more) {
            endStreaming(s);
            return false;
        }
        return pendingRead == s && !closed;
    }

    private void endStreaming(Read.Streaming s) {
        if (pendingRead == s) {
            pendingRead = null;
            s.future.complete(null);
        }
    }

    /** One read from the socket into the buffer (or straight into a readInto buffer). */
    private int readStep() throws IOException {
        if (pendingRead instanceof Read.Into into && readBuffer.isEmpty() && canReadDirect()) {
            int asked = into.dst.remaining();
            int n = readFromChannel(into.dst);
            if (n > 0) {
                bytesRead += n;
            }
            lastReadDrained = n < asked && shortReadMeansDrained();
            return n;
        }
        ByteBuffer scratch = buffers.read;
        scratch.clear();
        int n = readFromChannel(scratch);
        lastReadDrained = n < LoopBuffers.READ_SIZE && shortReadMeansDrained();
        if (n > 0) {
            bytesRead += n;
            scratch.flip();
            readBuffer.append(scratch);
        }
        return n;
    }

    /** Completes the pending read if the buffer satisfies it; true if the read is finished. */
    private boolean satisfyFromBuffer() {
        Read<?> read = pendingRead;
        Object result;
        try {
            result = read.poll(readBuffer, closed && closedCleanly());
        } catch (UnsatisfiableReadException e) {
            Log.LOG.info("Unsatisfiable read, closing connection {}: {}", this, e.getMessage());
            pendingRead = null;
            close(e);
            read.future.completeExceptionally(new StreamClosedException(e));
            return true;
        }
        if (result == null) {
            return false;
        }
        pendingRead = null;
        completeRead(read, result);
        return true;
    }

    @SuppressWarnings("unchecked")
    private <T> void completeRead(Read<T> read, Object result) {
        completeInline(read.future, (T) result);
    }

    /**
     * Completes {@code future} now, unless too many completions happened since control last
     * came from the loop. A continuation typically starts the next read (or write), which the
     * buffer (or the kernel) may satisfy at once, so the returned future is already complete and
     * the caller's next continuation runs on the same stack, and so on: without a bound, a run
     * of instant completions overflows the stack. Past the bound the completion goes through the
     * loop, which unwinds the stack.
     */
    final <T> void completeInline(CompletableFuture<T> future, T value) {
        if (++syncCompletions > MAX_SYNC_COMPLETIONS) {
            loop.addCallback(() -> {
                syncCompletions = 0;
                future.complete(value);
            });
            return;
        }
        future.complete(value);
    }

    private void failPendingRead() {
        Read<?> read = pendingRead;
        if (read != null) {
            pendingRead = null;
            read.future.completeExceptionally(new StreamClosedException(error));
        }
    }

    private boolean closedCleanly() {
        return error == null || error instanceof EOFException;
    }

    // ------------------------------------------------------------------------------ writes

    /**
     * Queues {@code data} (its remaining bytes) for writing, after all earlier writes. The stream
     * owns the buffers until the future completes.
     *
     * @param data the bytes
     * @return completes when the data is handed to the kernel, or earlier per
     *     {@link IOStreamOptions#writeHighWaterMark()}; fails with {@link StreamClosedException}
     *     if the stream is or becomes closed, with {@link StreamBufferFullException} if the write
     *     would exceed {@link IOStreamOptions#maxWriteBufferSize()}
     */
    public CompletableFuture<Void> write(ByteBuffer... data) {
        checkLoop();
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new StreamClosedException(error));
            return f;
        }
        long total = 0;
        for (ByteBuffer b : data) {
            total += b.remaining();
        }
        if (writeQueue.memorySize() + total > options.maxWriteBufferSize()) {
            f.completeExceptionally(new StreamBufferFullException("write buffer would exceed "
                    + options.maxWriteBufferSize() + " bytes (" + writeQueue.memorySize() + " queued, " + total
                    + " more)"));
            return f;
        }
        if (!writeQueue.hasData() && !flushing && ioReady() && !hasBufferedOutput()) {
            // Nothing is queued: offer the data to the kernel now and queue only what it leaves,
            // so the common small response costs no queue entries.
            long left;
            try {
                // one call over all of it; what the kernel (or TLS's record buffer) does not take
                // is queued below and flushed when the socket is writable
                long w = writeToChannel(data, 0, data.length);
                bytesWritten += w;
                left = total - w;
            } catch (IOException e) {
                close(e);
                f.completeExceptionally(new StreamClosedException(e));
                return f;
            }
            if (left > 0) {
                writeQueue.add(data, left, f);
                writeQueue.completeFutures(options.writeHighWaterMark(), this);
            } else {
                completeInline(f, null);
            }
            updateInterest();
            return f;
        }
        writeQueue.add(data, total, f);
        if (ioReady()) {
            flush();
        }
        return f;
    }

    /**
     * Writes a whole array; see {@link #write(ByteBuffer...)}.
     *
     * @param data the bytes
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> write(byte[] data) {
        return write(ByteBuffer.wrap(data));
    }

    /**
     * Writes {@code data[offset, offset+length)}; see {@link #write(ByteBuffer...)}.
     *
     * @param data the bytes
     * @param offset the offset
     * @param length the length
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> write(byte[] data, int offset, int length) {
        return write(ByteBuffer.wrap(data, offset, length));
    }

    /**
     * Queues {@code count} bytes of {@code file} from {@code position} for writing, after all
     * earlier writes (see <b>File regions</b> above). The caller keeps the file open (and owns
     * it: the stream never closes it) until the future completes or fails.
     *
     * @param file the file
     * @param position the file offset of the first byte
     * @param count the count
     * @return completes when the region is handed to the kernel (or per
     *     {@link IOStreamOptions#writeHighWaterMark()}); fails with {@link StreamClosedException}
     *     if the stream is or becomes closed, which it does if the file cannot be read or ends
     *     before the region (an {@link EOFException} as the cause)
     */
    public CompletableFuture<Void> writeFile(FileChannel file, long position, long count) {
        return writeFile(NO_BUFFERS, file, position, count);
    }

    /**
     * Writes {@code head}'s buffers (a response head), then the file region, with one future for
     * both; see {@link #writeFile(FileChannel, long, long)}. When nothing is queued, a plain stream
     * reads the start of the region into the loop's direct staging buffer (16 KiB) behind the head
     * and writes them with one system call, then sends the rest of the region with
     * {@code sendfile}: a small file leaves as one packet instead of two, a large one has its head
     * in the first packet of data rather than alone (Java has no {@code TCP_CORK}), and the file
     * still never passes through the Java heap. What the kernel does not take is queued as the rest
     * of the head and of the region, not as a copy.
     *
     * @param head the head
     * @param file the file
     * @param position the file offset of the first byte
     * @param count the count
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> writeFile(ByteBuffer[] head, FileChannel file, long position, long count) {
        checkLoop();
        Objects.requireNonNull(file, "file");
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("invalid file region: position " + position + ", count " + count);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new StreamClosedException(error));
            return f;
        }
        long headBytes = 0;
        for (ByteBuffer b : head) {
            headBytes += b.remaining();
        }
        if (headBytes < LoopBuffers.WRITE_STAGE_SIZE && (headBytes > 0 || count <= LoopBuffers.WRITE_STAGE_SIZE)
                && !writeQueue.hasData() && !flushing && ioReady() && !hasBufferedOutput() && stagesSmallFiles()) {
            long staged = Math.min(count, LoopBuffers.WRITE_STAGE_SIZE - headBytes);
            long written;
            try {
                written = writeStaged(head, headBytes, file, position, staged);
                bytesWritten += written;
            } catch (IOException e) {
                close(e);
                f.completeExceptionally(new StreamClosedException(e));
                return f;
            }
            if (written == headBytes + count) {
                completeInline(f, null);
                return f;
            }
            long fromFile = Math.max(0, written - headBytes);
            writeQueue.addBuffers(head, Math.max(0, headBytes - written)); // the head buffers were advanced
            writeQueue.addFile(file, position + fromFile, count - fromFile, f);
            if (written == headBytes + staged) {
                flush(); // the socket took all of it: go on with sendfile now
            } else {
                updateInterest();
            }
            return f;
        }
        if (headBytes > 0) {
            writeQueue.addBuffers(head, headBytes);
        }
        writeQueue.addFile(file, position, count, f);
        if (ioReady()) {
            flush();
        }
        return f;
    }

    /** Head and region copied into the direct staging buffer and written once; returns the bytes written. */
    private long writeStaged(ByteBuffer[] head, long headBytes, FileChannel file, long position, long count)
            throws IOException {
        ByteBuffer stage = buffers.writeStage();
        stage.clear();
        for (ByteBuffer b : head) {
            int r = b.remaining();
            stage.put(stage.position(), b, b.position(), r).position(stage.position() + r);
        }
        stage.limit((int) (headBytes + count));
        while (stage.hasRemaining()) {
            if (file.read(stage, position + stage.position() - headBytes) < 0) {
                throw new EOFException("file ended at " + file.size() + " bytes, before the region being written");
            }
        }
        stage.flip();
        long w = channel.write(stage);
        for (int i = 0, left = (int) Math.min(w, headBytes); left > 0; i++) {
            ByteBuffer b = head[i];
            int take = Math.min(left, b.remaining());
            b.position(b.position() + take);
            left -= take;
        }
        return w;
    }

    /**
     * Bytes queued in memory and not yet handed to the kernel. Queued file regions
     * ({@link #writeFile}) hold no memory and are not counted.
     *
     * @return the write buffer size
     */
    public long writeBufferSize() {
        return writeQueue.memorySize();
    }

    /** Hands queued data to the socket until it is all written or the socket is full. */
    final void flush() {
        if (flushing || closed || !ioReady()) {
            return;
        }
        flushing = true;
        try {
            if (writeQueue.hasData() || hasBufferedOutput()) {
                writeQueue.writeTo(this, buffers.gather);
            }
        } catch (IOException e) {
            flushing = false;
            close(e);
            return;
        } finally {
            flushing = false;
        }
        writeQueue.completeFutures(options.writeHighWaterMark(), this);
        updateInterest();
    }

    // ------------------------------------------------------------------------- lifecycle

    /**
     * Half-closes the connection: the peer sees end-of-stream after what was written, and the
     * stream can still read (a server's lingering close, RFC 9112 9.6). Call once the writes have
     * completed; loop thread only.
     */
    public void shutdownOutput() {
        checkLoop();
        if (closed) {
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close(e);
        }
    }

    /** Closes the stream; pending operations fail with a {@link StreamClosedException} without cause. */
    public void close() {
        close(null);
    }

    /**
     * Closes the stream because of {@code reason} (null for a normal close), which becomes
     * {@link #error()} and the cause of the pending operations' {@link StreamClosedException}.
     * Idempotent; safe from any thread (hops to the loop).
     *
     * @param reason the reason phrase
     */
    public void close(Throwable reason) {
        if (!loop.inLoop()) {
            loop.addCallback(() -> close(reason));
            return;
        }
        if (closed) {
            return;
        }
        closed = true;
        error = reason;
        if (reason != null) {
            logClose(reason);
        }
        if (pendingRead != null) {
            satisfyFromBuffer(); // e.g. readUntilClose, or data that arrived with the FIN
        }
        if (!detached) {
            try {
                beforeClose(reason);
            } catch (RuntimeException e) {
                Log.LOG.debug("while closing {}", this, e);
            }
            registration.cancel();
            closeQuietly(channel);
        }
        failPendingRead();
        writeQueue.failAll(new StreamClosedException(reason));
        if (connectFuture != null) {
            CompletableFuture<IOStream> f = connectFuture;
            connectFuture = null;
            f.completeExceptionally(reason != null ? reason : new StreamClosedException(null));
        }
        afterClose(reason);
        runCloseCallback();
    }

    private void logClose(Throwable reason) {
        if (reason instanceof IOException || reason instanceof java.util.concurrent.TimeoutException) {
            // Resets, EOFs and TLS alerts are the normal life of a server socket: not errors.
            Log.LOG.debug("Closing {}: {}", this, reason.toString());
        } else {
            Log.LOG.warn("Closing {} because of an unexpected error", this, reason);
        }
    }

    private void runCloseCallback() {
        Runnable cb = closeCallback;
        closeCallback = null;
        if (cb != null) {
            try {
                cb.run();
            } catch (Throwable t) {
                Log.LOG.error("Exception in close callback of {}", this, t);
            }
        }
    }

    /**
     * Whether it is closed.
     *
     * @return whether it is closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Why the stream closed: null while open or after a plain {@link #close()}.
     *
     * @return why the stream closed: null while open or after a plain {@link #close()}
     */
    public Throwable error() {
        return error;
    }

    /**
     * Runs {@code callback} on the loop once the stream closes (at once if it already has).
     * While a close callback is set and no read is pending, the stream keeps watching the socket
     * so it notices the peer closing, reading ahead up to {@link IOStreamOptions#readAheadLimit()}.
     *
     * @param callback the callback
     */
    public void setCloseCallback(Runnable callback) {
        checkLoop();
        closeCallback = callback;
        if (closed) {
            runCloseCallback();
        } else {
            updateInterest();
        }
    }

    /**
     * True while a read is pending.
     *
     * @return true while a read is pending
     */
    public boolean reading() {
        return pendingRead != null;
    }

    /**
     * True while written data is queued.
     *
     * @return true while written data is queued
     */
    public boolean writing() {
        return writeQueue.hasData() || hasBufferedOutput();
    }

    /**
     * Bytes received and not yet consumed by a read.
     *
     * @return the read buffer size
     */
    public int readBufferSize() {
        return readBuffer.size();
    }

    /**
     * The loop.
     *
     * @return the loop
     */
    public IOLoop loop() {
        return loop;
    }

    /**
     * The options.
     *
     * @return the options
     */
    public IOStreamOptions options() {
        return options;
    }

    /**
     * The peer's address, or null when closed or unknown.
     *
     * @return the peer's address, or null when closed or unknown
     */
    public SocketAddress remoteAddress() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The local address, or null when closed.
     *
     * @return the local address, or null when closed
     */
    public SocketAddress localAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    // --------------------------------------------------------------------------- options

    /**
     * Sets TCP_NODELAY (disables Nagle's algorithm when true). Ignored once closed.
     *
     * @param noDelay the no delay
     */
    public void setNoDelay(boolean noDelay) {
        setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
    }

    /**
     * Sets a socket option (for example {@link StandardSocketOptions#SO_KEEPALIVE},
     * {@link StandardSocketOptions#SO_SNDBUF}, {@link StandardSocketOptions#SO_RCVBUF}). Ignored
     * once closed.
     *
     * @param <T> the type of the values
     * @param option the option
     * @param value the value
     */
    public <T> void setOption(SocketOption<T> option, T value) {
        if (closed) {
            return;
        }
        try {
            channel.setOption(option, value);
        } catch (ClosedChannelException e) {
            // closing concurrently: nothing to configure
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set " + option + " on " + this, e);
        }
    }

    // ------------------------------------------------------------------------------ TLS

    /**
     * Converts this idle plain stream to TLS (STARTTLS) and completes once the handshake is
     * done. Bytes already buffered (the peer's first TLS bytes) are handed over. This stream
     * is unusable afterwards. Fails with {@link IllegalStateException} if a read or write is
     * pending.
     *
     * @param context the context
     * @param tls the TLS options
     * @return a future of the SSL I/O stream
     */
    public CompletableFuture<SslIOStream> startTls(SSLContext context, TlsOptions tls) {
        checkLoop();
        if (closed || connecting || pendingRead != null || writing() || this instanceof SslIOStream) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("IOStream is not idle; cannot convert to TLS: " + this));
        }
        byte[] pending = readBuffer.takeAll();
        detached = true;
        closed = true;
        error = new IllegalStateException("IOStream was converted to TLS");
        closeCallback = null;
        SslIOStream ssl;
        try {
            ssl = new SslIOStream(this, context, tls, pending);
        } catch (RuntimeException e) {
            registration.cancel();
            closeQuietly(channel);
            return CompletableFuture.failedFuture(e);
        }
        return ssl.handshake().thenApply(v -> ssl);
    }

    // -------------------------------------------------------------- overridable socket I/O

    /** Reads application bytes into {@code dst}: count, 0 if none now, -1 at end of stream. */
    int readFromChannel(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    /** Writes application bytes from {@code srcs[off, off+len)}; returns the bytes consumed. */
    long writeToChannel(ByteBuffer[] srcs, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (len == 1) {
            return channel.write(srcs[off]);
        }
        // Several small heap buffers (a response head and its body): copy them into the loop's
        // direct staging buffer and write(2) that, instead of the JDK copying each into a
        // temporary direct buffer of its own for a writev(2).
        ByteBuffer stage = buffers.writeStage();
        stage.clear();
        int staged = 0;
        for (int i = off; i < off + len; i++) {
            ByteBuffer b = srcs[i];
            int r = b.remaining();
            if (b.isDirect() || r > stage.remaining()) {
                break;
            }
            stage.put(stage.position(), b, b.position(), r).position(stage.position() + r);
            staged++;
        }
        if (staged < 2) {
            return channel.write(srcs, off, len);
        }
        stage.flip();
        int offered = stage.remaining();
        int w = channel.write(stage);
        for (int i = off, left = w; left > 0; i++) {
            ByteBuffer b = srcs[i];
            int take = Math.min(left, b.remaining());
            b.position(b.position() + take);
            left -= take;
        }
        if (w < offered || staged == len) {
            return w;
        }
        return w + writeToChannel(srcs, off + staged, len - staged);
    }

    /**
     * Writes up to {@code count} bytes of {@code file} from {@code position} to the socket; returns
     * the bytes written, 0 when the socket is full. Plain streams: {@link FileChannel#transferTo},
     * which the JDK maps to {@code sendfile(2)} on Linux for a socket channel.
     *
     * @throws EOFException if the file ends before {@code position}
     */
    long transferToChannel(FileChannel file, long position, long count) throws IOException {
        long n = file.transferTo(position, count, channel);
        if (n == 0 && count > 0 && position >= file.size()) {
            // without this check, a truncated file would leave OP_WRITE set with nothing to write
            throw new EOFException("file ended at " + file.size() + " bytes, before the region being written");
        }
        return n;
    }

    /** Whether small file regions may be staged with their head into one plain write (TLS: no). */
    boolean stagesSmallFiles() {
        return true;
    }

    /** True when the transport holds output not yet written (TLS records). */
    boolean hasBufferedOutput() {
        return false;
    }

    /**
     * Whether a read that returned less than asked means the socket has nothing more for now
     * (true for a plain socket; the loop reports it again when more arrives). TLS says no: its
     * record buffering decouples what it returns from what the socket holds.
     */
    boolean shortReadMeansDrained() {
        return true;
    }

    /** Whether readInto may read the socket straight into the caller's buffer. */
    boolean canReadDirect() {
        return true;
    }

    /** Whether reads and writes may touch the socket now (false while connecting or handshaking). */
    boolean ioReady() {
        return !connecting;
    }

    /** Called once the channel is connected (at once for a connected channel, by subclasses). */
    void afterConnect() {}

    /** Called while closing, before the channel closes (TLS sends close_notify). */
    void beforeClose(Throwable reason) {}

    /** Called after pending operations failed, before the close callback. */
    void afterClose(Throwable reason) {}

    /** The selector operations this stream needs now. */
    int interestOps() {
        if (connecting) {
            return SelectionKey.OP_CONNECT;
        }
        int ops = 0;
        if (pendingRead != null || (closeCallback != null && readBuffer.size() < options.readAheadLimit())) {
            ops = SelectionKey.OP_READ;
        }
        if (writeQueue.hasData() || hasBufferedOutput()) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    /**
     * Application bytes read so far (see the field); for metrics, readable from any thread.
     *
     * @return the bytes read
     */
    public final long bytesRead() {
        return bytesRead;
    }

    /**
     * Application bytes handed to the socket so far; for metrics, readable from any thread.
     *
     * @return the bytes written
     */
    public final long bytesWritten() {
        return bytesWritten;
    }

    final void updateInterest() {
        if (!closed) {
            registration.setInterest(interestOps());
        }
    }

    /** Readiness events from the loop. */
    void handleEvents(int readyOps) {
        syncCompletions = 0; // a fresh stack
        if (closed) {
            return;
        }
        if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flush();
            if (closed) {
                return;
            }
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            readNow();
        }
    }

    private void finishConnect() {
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            close(e);
            return;
        }
        connecting = false;
        afterConnect();
        if (closed) {
            return;
        }
        CompletableFuture<IOStream> f = connectFuture;
        connectFuture = null;
        if (f != null) {
            f.complete(this);
        }
        if (!closed) {
            flush();
            readNow();
        }
    }

    final boolean isConnecting() {
        return connecting;
    }

    final void checkLoop() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("IOStream methods must be called on its loop thread (" + loop.name()
                    + "); use loop.addCallback to get there");
        }
    }

    static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                Log.LOG.debug("closing channel", e);
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + remoteAddress() + (closed ? ", closed" : "") + "]";
    }

    /**
     * The registration's handler: forwards events to the stream that currently owns the channel,
     * so that startTls can hand the registration to the TLS stream.
     */
    static final class Dispatcher implements IOHandler {
        IOStream stream;

        Dispatcher(IOStream stream) {
            this.stream = stream;
        }

        @Override
        public void handleEvents(int readyOps) {
            stream.handleEvents(readyOps);
        }
    }
}
