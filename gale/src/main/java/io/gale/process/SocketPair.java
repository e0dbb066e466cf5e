package io.gale.process;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;

/**
 * Two connected Unix domain stream sockets (the JDK has no {@code socketpair(2)}): a listener
 * bound to a fresh name in the JDK's temporary directory ({@code jdk.net.unixdomain.tmpdir}),
 * one connect, one accept, and the name deleted at once, so nothing else can connect and
 * nothing is left behind.
 */
final class SocketPair {
    /** The end the loop reads and writes (made non-blocking when the loop registers it). */
    final SocketChannel loopEnd;
    /** The end the pump thread uses, blocking. */
    final SocketChannel pumpEnd;

    private SocketPair(SocketChannel loopEnd, SocketChannel pumpEnd) {
        this.loopEnd = loopEnd;
        this.pumpEnd = pumpEnd;
    }

    static SocketPair open() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(null, 1);
            SocketAddress name = server.getLocalAddress();
            SocketChannel a = null;
            try {
                a = SocketChannel.open(name);
                return new SocketPair(a, server.accept());
            } catch (IOException | RuntimeException e) {
                if (a != null) {
                    a.close();
                }
                throw e;
            } finally {
                Files.deleteIfExists(((UnixDomainSocketAddress) name).getPath());
            }
        }
    }

    void closeQuietly() {
        try {
            loopEnd.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
        try {
            pumpEnd.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
