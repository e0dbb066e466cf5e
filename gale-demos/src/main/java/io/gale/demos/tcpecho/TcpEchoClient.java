package io.gale.demos.tcpecho;

import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import io.gale.net.TcpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The client half of the tcpecho demo (Tornado's {@code demos/tcpecho/client.py}): connects,
 * sends one line and returns the line echoed back.
 */
public final class TcpEchoClient {
    private TcpEchoClient() {}

    /**
     * Runs a private loop on the calling thread until the echo arrives.
     *
     * @return the echoed line, without its newline
     */
    public static String echo(String host, int port, String message, Duration timeout) throws TimeoutException {
        byte[] line = (message + "\n").getBytes(StandardCharsets.UTF_8);
        IOLoop loop = new IOLoop();
        try {
            byte[] echoed = loop.runSync(() -> new TcpClient().connect(host, port)
                    .thenCompose(stream -> stream.write(line)
                            .thenCompose(v -> stream.readUntil(new byte[] {'\n'}, TcpEchoServer.MAX_LINE + 1))
                            .whenComplete((v, e) -> stream.close())), timeout);
            String s = TcpEchoServer.decode(echoed);
            return s.substring(0, s.length() - 1);
        } finally {
            loop.close();
        }
    }
}
