package io.gale.demos.tcpecho;

import io.gale.iostream.IOStream;
import io.gale.iostream.UnsatisfiableReadException;
import io.gale.net.TcpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The server half of the tcpecho demo (Tornado's {@code demos/tcpecho/server.py}): echoes every
 * line it receives, on one loop per core.
 */
public final class TcpEchoServer extends TcpServer {
    /** Longest line echoed; a longer one closes the connection. */
    public static final int MAX_LINE = 64 * 1024;
    private static final byte[] NL = {'\n'};

    private TcpEchoServer() {}

    /**
     * Binds {@code port} (0 for any) on {@code host} (null for all interfaces) and starts serving.
     */
    public static TcpEchoServer start(String host, int port) throws IOException {
        TcpEchoServer server = new TcpEchoServer();
        server.listen(port, host);
        return server;
    }

    /** The line the demo prints once it is ready: {@code listening on HOST:PORT}. */
    public String listeningLine() {
        return io.gale.demos.Demos.listeningLine(localAddresses().get(0));
    }

    @Override
    protected void handleStream(IOStream stream, InetSocketAddress address) {
        echoLines(stream);
    }

    private static void echoLines(IOStream stream) {
        stream.readUntil(NL, MAX_LINE)
                .thenCompose(stream::write)
                .whenComplete((v, e) -> {
                    if (e == null) {
                        echoLines(stream);
                    } else {
                        if (e.getCause() instanceof UnsatisfiableReadException) {
                            System.err.println("line longer than " + MAX_LINE + " bytes; closing");
                        }
                        stream.close();
                    }
                });
    }

    static String decode(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }
}
