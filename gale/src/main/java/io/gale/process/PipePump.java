package io.gale.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Carries one pipe of a child process across a {@link SocketPair}, on a thread of its own: the
 * JDK gives process pipes only as blocking streams, never as selectable channels, so a thread
 * blocks on the pipe and the loop gets a socket it can select on.
 *
 * <p><b>Why a platform thread.</b> A read of a pipe is file I/O, which on a virtual thread pins
 * its carrier (the scheduler compensates with extra carriers up to 256): 100 children with
 * three pipes each would exhaust the carriers and stall every other virtual thread. A platform
 * thread with a 128 KiB stack costs the same as the JDK's own process-reaper thread per child.
 *
 * <p><b>Bounds.</b> A pump holds at most {@link #CHUNK} bytes; beyond it data waits in the
 * kernel's socket and pipe buffers, and the writer blocks when they are full: that is the
 * backpressure. A child writing to a stdout that nobody reads stops once the pipe, the pump
 * and the socket buffers are full (a few hundred KiB), as it would with a plain pipe.
 *
 * <p><b>Ends.</b> From the child: at end of file the pump closes its socket, so the loop's
 * stream sees end of stream after the last byte. To the child: when the loop's stream closes,
 * the pump reads end of stream and closes the child's stdin, so the child sees end of file.
 * An I/O error on either side (the child exited, the loop's stream was closed early) ends the
 * pump and closes both of its ends.
 */
final class PipePump implements Runnable {
    static final int CHUNK = 64 * 1024;
    private static final long STACK_SIZE = 128 * 1024;

    private final InputStream fromChild;
    private final OutputStream toChild;
    private final SocketChannel socket;

    private PipePump(InputStream fromChild, OutputStream toChild, SocketChannel socket) {
        this.fromChild = fromChild;
        this.toChild = toChild;
        this.socket = socket;
    }

    /** Starts a pump from the child's {@code in} (stdout or stderr) into {@code socket}. */
    static Thread fromChild(InputStream in, SocketChannel socket, String name) {
        return start(new PipePump(in, null, socket), name);
    }

    /** Starts a pump from {@code socket} into the child's stdin {@code out}. */
    static Thread toChild(SocketChannel socket, OutputStream out, String name) {
        return start(new PipePump(null, out, socket), name);
    }

    private static Thread start(PipePump pump, String name) {
        return Thread.ofPlatform().daemon().name(name).stackSize(STACK_SIZE).start(pump);
    }

    @Override
    public void run() {
        try {
            if (fromChild != null) {
                copyFromChild();
            } else {
                copyToChild();
            }
        } catch (IOException e) {
            // the other side is gone (child exited, stream closed): nothing more to carry
        } finally {
            closeQuietly(socket);
            closeQuietly(fromChild);
            closeQuietly(toChild);
        }
    }

    private void copyFromChild() throws IOException {
        byte[] buf = new byte[CHUNK];
        ByteBuffer wrapper = ByteBuffer.wrap(buf);
        int n;
        while ((n = fromChild.read(buf)) >= 0) {
            wrapper.clear().limit(n);
            while (wrapper.hasRemaining()) {
                socket.write(wrapper);
            }
        }
    }

    private void copyToChild() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        while (socket.read(buf) >= 0) {
            toChild.write(buf.array(), 0, buf.position());
            toChild.flush();
            buf.clear();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing: nothing to do
            }
        }
    }
}
