package io.gale.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Files kept open between requests (nginx's {@code open_file_cache}): opening and closing a file
 * costs two system calls, about 12 µs on this project's machines, half of what serving a 1 KiB
 * file costs in all. {@link #open} hands out a lease on a shared {@link FileChannel} for a file
 * the caller has just examined ({@code stat}): the cached channel is used only while the file at
 * that path is still the same file (its {@code fileKey}: device and inode), so a file replaced
 * (a deploy renaming a new version into place) is opened afresh, and one changed in place is read
 * as it is now, as a fresh open would. Reads through a lease are positional (its own position for
 * relative reads), so any number of responses share one channel.
 *
 * <p>Limits: at most {@value #MAX_OPEN} files open per application (the least recently used is
 * closed beyond that); a file unused for {@value #IDLE_SECONDS} s is closed (checked at most once a
 * second, when a file is opened), so a deleted file's space is not held for long. A file still
 * being sent when it is evicted is closed when its last lease is.
 *
 * <p>Thread-safe: one lock around the table, never held while a file is opened or closed.
 */
final class OpenFiles {
    static final int MAX_OPEN = 256;
    static final long IDLE_SECONDS = 60;
    private static final long SWEEP_NANOS = 1_000_000_000L;

    private final LongSupplier clock;
    /** In access order: the first is the least recently used. */
    private final LinkedHashMap<Path, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long lastSweep;

    private static final class Entry {
        final FileChannel channel;
        final Object key;
        int leases;
        boolean retired;
        long lastUsed;

        Entry(FileChannel channel, Object key) {
            this.channel = channel;
            this.key = key;
        }
    }

    OpenFiles() {
        this(System::nanoTime);
    }

    OpenFiles(LongSupplier clock) {
        this.clock = clock;
        this.lastSweep = clock.getAsLong();
    }

    /**
     * A channel on {@code path}, which the caller found to be the file {@code key}
     * ({@code BasicFileAttributes.fileKey()}); closing it returns the lease. Without a key (a file
     * system that has none) the file is simply opened.
     */
    FileChannel open(Path path, Object key) throws IOException {
        if (key == null) {
            return FileChannel.open(path, StandardOpenOption.READ);
        }
        FileChannel stale = null;
        List<FileChannel> idle;
        synchronized (this) {
            idle = sweep();
            Entry e = entries.get(path);
            if (e != null && e.key.equals(key)) {
                Lease hit = lease(e);
                if (idle != null) {
                    idle.forEach(OpenFiles::closeQuietly); // (closing under the lock only after a sweep: rare)
                }
                return hit;
            }
            if (e != null) {
                entries.remove(path);
                stale = retire(e);
            }
        }
        if (idle != null) {
            idle.forEach(OpenFiles::closeQuietly);
        }
        closeQuietly(stale);
        FileChannel opened = FileChannel.open(path, StandardOpenOption.READ);
        Entry fresh = new Entry(opened, key);
        FileChannel extra = null;
        List<FileChannel> toClose = new ArrayList<>(2);
        Lease lease;
        synchronized (this) {
            Entry e = entries.get(path);
            if (e != null && e.key.equals(key)) {
                extra = opened; // another thread opened it meanwhile: use theirs
                lease = lease(e);
            } else {
                if (e != null) {
                    entries.remove(path);
                    toClose.add(retire(e));
                }
                entries.put(path, fresh);
                lease = lease(fresh);
                while (entries.size() > MAX_OPEN) {
                    Iterator<Map.Entry<Path, Entry>> it = entries.entrySet().iterator();
                    Entry eldest = it.next().getValue();
                    it.remove();
                    toClose.add(retire(eldest));
                }
            }
        }
        closeQuietly(extra);
        toClose.forEach(OpenFiles::closeQuietly);
        return lease;
    }

    /** Files open now (for tests and diagnostics). */
    synchronized int size() {
        return entries.size();
    }

    private Lease lease(Entry e) {
        e.leases++;
        e.lastUsed = clock.getAsLong();
        return new Lease(this, e);
    }

    /** Marks {@code e} out of the table; returns its channel if nobody holds it any more. */
    private static FileChannel retire(Entry e) {
        e.retired = true;
        return e.leases == 0 ? e.channel : null;
    }

    /**
     * Removes files unused for {@link #IDLE_SECONDS}, at most once a second; returns their channels
     * to close (outside the lock), or null. Under the lock.
     */
    private List<FileChannel> sweep() {
        long now = clock.getAsLong();
        if (now - lastSweep < SWEEP_NANOS) {
            return null;
        }
        lastSweep = now;
        long idle = IDLE_SECONDS * 1_000_000_000L;
        List<FileChannel> out = null;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.leases == 0 && now - e.lastUsed > idle) {
                it.remove();
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(retire(e));
            }
        }
        return out;
    }

    private void release(Entry e) {
        FileChannel close = null;
        synchronized (this) {
            e.leases--;
            e.lastUsed = clock.getAsLong();
            if (e.retired && e.leases == 0) {
                close = e.channel;
            }
        }
        closeQuietly(close);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // a read-only file: nothing was lost
            }
        }
    }

    /**
     * One response's use of a shared channel: read-only, positional reads and
     * {@code transferTo} go to the shared channel (so {@code sendfile} still applies); relative
     * reads use this lease's own position; closing returns the lease, not the file.
     */
    static final class Lease extends FileChannel {
        private final OpenFiles owner;
        private final Entry entry;
        private final FileChannel channel;
        private long position;

        private Lease(OpenFiles owner, Entry entry) {
            this.owner = owner;
            this.entry = entry;
            this.channel = entry.channel;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = channel.read(dst, position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                if (!dsts[i].hasRemaining()) {
                    continue;
                }
                int n = read(dsts[i]);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
                if (dsts[i].hasRemaining()) {
                    break;
                }
            }
            return total;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return channel.transferTo(position, count, target);
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public FileChannel position(long newPosition) {
            if (newPosition < 0) {
                throw new IllegalArgumentException("negative position");
            }
            position = newPosition;
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new NonWritableChannelException();
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new NonWritableChannelException();
        }

        @Override
        public FileChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new NonWritableChannelException();
        }

        @Override
        public void force(boolean metaData) {
            // read-only: nothing to write back
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return channel.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("a shared static-file channel cannot be locked");
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("a shared static-file channel cannot be locked");
        }

        @Override
        protected void implCloseChannel() {
            owner.release(entry);
        }

        /** The shared channel (tests). */
        FileChannel shared() {
            return channel;
        }
    }
}
