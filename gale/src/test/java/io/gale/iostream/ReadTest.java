package io.gale.iostream;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The read matchers and the read buffer, fed chunk by chunk without sockets. */
@Timeout(60)
class ReadTest {
    private final ReadBuffer buf = new ReadBuffer();

    private void feed(String s) {
        buf.append(ByteBuffer.wrap(s.getBytes(ISO_8859_1)));
    }

    @Test
    void delimiterSplitAcrossChunksIsFoundOnceComplete() throws Exception {
        Read.Delimiter r = new Read.Delimiter("\r\n\r\n".getBytes(ISO_8859_1), 100);
        feed("GET / HTTP/1.1\r");
        assertThat(r.poll(buf, false)).isNull();
        feed("\n\r");
        assertThat(r.poll(buf, false)).isNull();
        feed("\nbody");
        assertThat(new String(r.poll(buf, false), ISO_8859_1)).isEqualTo("GET / HTTP/1.1\r\n\r\n");
        assertThat(buf.size()).isEqualTo(4);
    }

    @Test
    void everyByteOnItsOwnStillMatches() throws Exception {
        Read.Delimiter d = new Read.Delimiter("ab".getBytes(ISO_8859_1), 100);
        for (char c : "xxaxab".toCharArray()) {
            feed(String.valueOf(c));
            byte[] got = d.poll(buf, false);
            if (got != null) {
                assertThat(new String(got, ISO_8859_1)).isEqualTo("xxaxab");
                return;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void regexMatchesBytesAsLatin1() throws Exception {
        feed("h\u00e9llo\n\nrest");
        byte[] got = new Read.Regex(Pattern.compile("\r?\n\r?\n"), 100).poll(buf, false);
        assertThat(new String(got, ISO_8859_1)).isEqualTo("h\u00e9llo\n\n");
    }

    @Test
    void limitsAreEnforced() {
        feed("0123456789");
        assertThatThrownBy(() -> new Read.Delimiter("\n".getBytes(ISO_8859_1), 10).poll(buf, false))
                .isInstanceOf(UnsatisfiableReadException.class);
        assertThatThrownBy(() -> new Read.Regex(Pattern.compile("\n"), 5).poll(buf, false))
                .isInstanceOf(UnsatisfiableReadException.class);
    }

    @Test
    void partialAndExactByteReads() {
        feed("abc");
        assertThat(new Read.Bytes(5, false).poll(buf, false)).isNull();
        assertThat(new String(new Read.Bytes(5, true).poll(buf, false), ISO_8859_1)).isEqualTo("abc");
        assertThat(new Read.Bytes(0, false).poll(buf, false)).isEmpty();
    }

    @Test
    void untilCloseWaitsForACleanClose() {
        feed("all");
        Read.UntilClose r = new Read.UntilClose();
        assertThat(r.poll(buf, false)).isNull();
        assertThat(new String(r.poll(buf, true), ISO_8859_1)).isEqualTo("all");
    }

    @Test
    void bufferCompactsAndDropsItsArrayWhenEmpty() {
        feed("0123456789");
        buf.take(8);
        feed("ab");
        assertThat(new String(buf.takeAll(), ISO_8859_1)).isEqualTo("89ab");
        assertThat(buf.capacity()).isZero();
    }
}
