package io.gale.net;

import io.gale.iostream.IOStream;
import java.net.InetSocketAddress;

/** Echoes lines (up to 1 KiB each) until the peer closes. */
final class EchoHandler implements StreamHandler {
    static final byte[] NL = {'\n'};

    @Override
    public void handleStream(IOStream stream, InetSocketAddress address) {
        echo(stream);
    }

    static void echo(IOStream stream) {
        stream.readUntil(NL, 1024)
                .thenCompose(stream::write)
                .whenComplete((v, e) -> {
                    if (e == null) {
                        echo(stream);
                    } else {
                        stream.close();
                    }
                });
    }
}
