package io.gale.internal.autoreload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The supervisor-child line format: round trips of any text, malformed lines refused, lines over a socket. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkMessageTest {
    @TempDir
    Path dir;

    @Test
    void anyTextRoundTrips() {
        List<String> fields = List.of("", "plain", "tab\there", "line\nbreak", "cr\rlf", "back\\slash", "\\t literal",
                "ünïcödé ✓", "\t\n\r\\", "trailing\\");
        LinkMessage m = new LinkMessage(LinkMessage.BIND, fields);
        String line = m.encode();
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r");
        assertThat(LinkMessage.decode(line.substring(0, line.length() - 1))).isEqualTo(m);
    }

    @Test
    void typeAloneAndEmptyFields() {
        assertThat(LinkMessage.decode("CHECK_OK")).isEqualTo(LinkMessage.of(LinkMessage.CHECK_OK));
        assertThat(LinkMessage.decode("CHECK\t")).isEqualTo(LinkMessage.of(LinkMessage.CHECK, ""));
        assertThat(LinkMessage.decode("BOUND\t1\t\t")).isEqualTo(LinkMessage.of(LinkMessage.BOUND, "1", "", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bind", "BIND1", "BI ND", "ÄBC", "\tBIND", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG",
            "BIND\tx\\", "BIND\tx\\q", "BIND\ta\nb", "BIND\ta\rb", "BIND\t\\u0041"})
    void malformedLinesAreRefused(String line) {
        assertThatThrownBy(() -> LinkMessage.decode(line)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingFieldNamesTheMessage() {
        assertThatThrownBy(() -> LinkMessage.of(LinkMessage.STOP).field(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STOP has no field 0");
    }

    @Test
    void messagesCrossASocketWholeWhateverTheReadsCut() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
            try (LinkChannel client = LinkChannel.connect(dir.resolve("s")); SocketChannel peer = server.accept()) {
                // the peer writes two messages and half of a third one byte at a time
                byte[] bytes = (LinkMessage.of("BIND", "1", "", "8888", "41000").encode()
                        + LinkMessage.of("LIVE", "/a\tb").encode() + "STO").getBytes(StandardCharsets.UTF_8);
                for (byte b : bytes) {
                    peer.write(ByteBuffer.wrap(new byte[] {b}));
                }
                assertThat(client.receive()).isEqualTo(LinkMessage.of("BIND", "1", "", "8888", "41000"));
                assertThat(client.receive()).isEqualTo(LinkMessage.of("LIVE", "/a\tb"));
                peer.write(ByteBuffer.wrap("P\t5000\n".getBytes(StandardCharsets.UTF_8)));
                assertThat(client.receive()).isEqualTo(LinkMessage.of("STOP", "5000"));
                peer.close();
                assertThat(client.receive()).isNull();
            }
        }
    }

    @Test
    void overlongAndMalformedLinesEndTheConnection() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
            try (LinkChannel client = LinkChannel.connect(dir.resolve("s")); SocketChannel peer = server.accept()) {
                peer.write(ByteBuffer.wrap("bad line\n".getBytes(StandardCharsets.UTF_8)));
                assertThatThrownBy(client::receive).isInstanceOf(IOException.class).hasMessageContaining("malformed link message");
            }
            try (LinkChannel client = LinkChannel.connect(dir.resolve("s")); SocketChannel peer = server.accept()) {
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        peer.write(ByteBuffer.wrap(("LIVE\t" + "x".repeat(LinkChannel.MAX_LINE) + "\n").getBytes(StandardCharsets.UTF_8)));
                    } catch (IOException e) {
                        // the reader gave up first
                    }
                });
                assertThatThrownBy(client::receive).isInstanceOf(IOException.class).hasMessageContaining("longer than");
                client.close();
                writer.join();
            }
        }
    }
}
