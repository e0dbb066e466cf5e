package io.gale.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RespReader} and {@link RespWriter} in memory: every input is read whole, split at every
 * byte position, one byte at a time and from a direct buffer, and must give the same values.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RespReaderTest {
    private static final int MAX_BULK = 1024;

    @Test
    void readsEveryRespTwoType() {
        List<Object> values = check("+OK\r\n-ERR unknown command 'X'\r\n:42\r\n:-7\r\n$5\r\nhello\r\n$0\r\n\r\n"
            + "$-1\r\n*-1\r\n*0\r\n*3\r\n$7\r\nmessage\r\n$4\r\nroom\r\n$2\r\nhi\r\n*2\r\n*1\r\n:1\r\n+x\r\n");
        assertThat(values).hasSize(11);
        assertThat(values.get(0)).isEqualTo("OK");
        assertThat(values.get(1)).isEqualTo(new RespError("ERR unknown command 'X'"));
        assertThat(values.get(2)).isEqualTo(42L);
        assertThat(values.get(3)).isEqualTo(-7L);
        assertThat((byte[]) values.get(4)).isEqualTo("hello".getBytes());
        assertThat((byte[]) values.get(5)).isEmpty();
        assertThat(values.get(6)).isNull();
        assertThat(values.get(7)).isNull();
        assertThat(values.get(8)).isEqualTo(List.of());
        assertThat(describe(values.get(9))).isEqualTo("[message, room, hi]");
        assertThat(describe(values.get(10))).isEqualTo("[[1], x]");
    }

    @Test
    void bulkStringsAreBinarySafe() {
        byte[] payload = new byte[256];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i; // CR, LF, NUL and every other byte inside the body
        }
        byte[] encoded = RespWriter.command("PUBLISH".getBytes(), "c".getBytes(), payload);
        List<Object> values = check(new String(encoded, StandardCharsets.ISO_8859_1));
        @SuppressWarnings("unchecked")
        List<Object> command = (List<Object>) values.get(0);
        assertThat((byte[]) command.get(2)).isEqualTo(payload);
    }

    @Test
    void writerEncodesArraysOfBulkStrings() {
        assertThat(new String(RespWriter.command("SUBSCRIBE", "a", "é"), StandardCharsets.UTF_8))
            .isEqualTo("*3\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n$2\r\né\r\n");
        assertThat(new String(RespWriter.command(new byte[0][]), StandardCharsets.UTF_8)).isEqualTo("*0\r\n");
    }

    @Test
    void incompleteInputLeavesTheBufferAsItWas() {
        RespReader r = new RespReader(MAX_BULK);
        for (String partial : List.of("", "$", "$5", "$5\r", "$5\r\nhel", "$5\r\nhello", "$5\r\nhello\r",
            "*2\r\n:1\r\n", "*2\r\n:1\r\n$3\r\nab", "+OK", "+OK\r", ":12")) {
            ByteBuffer b = ByteBuffer.wrap(partial.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(r.read(b)).as(partial).isSameAs(RespReader.NEED_MORE);
            assertThat(b.position()).as(partial).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "?x\r\n",                    // unknown type
        "+OK\n",                     // LF without CR
        "+OK\rX",                    // CR without LF
        ":\r\n",                     // empty integer
        ":-\r\n",                    // sign only
        ":12a\r\n",                  // not a digit
        ":99999999999999999999\r\n", // out of range
        ":+1\r\n",                   // plus sign
        "$-2\r\n",                   // negative length
        "$1025\r\n",                 // over the bulk limit
        "$3\r\nabcd\r\n",            // body longer than said
        "$3\r\nab\r\n\r\n",          // CRLF where the body's last byte should be, then no CRLF
        "*-5\r\n",                   // negative array length
        "*1025\r\n",                 // too many elements
        "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", // nested too deep
        "$ 3\r\nabc\r\n",            // space in a length
    })
    void malformedInputIsAProtocolError(String input) {
        RespReader r = new RespReader(MAX_BULK);
        ByteBuffer b = ByteBuffer.wrap(input.getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> {
            while (b.hasRemaining() && r.read(b) != RespReader.NEED_MORE) {
                // read on
            }
        }).isInstanceOf(RespProtocolException.class);
    }

    @Test
    void overlongLinesAreRefusedWithoutWaitingForTheirEnd() {
        byte[] line = new byte[RespReader.MAX_LINE + 2];
        Arrays.fill(line, (byte) 'a');
        line[0] = '+';
        assertThatThrownBy(() -> new RespReader(MAX_BULK).read(ByteBuffer.wrap(line)))
            .isInstanceOf(RespProtocolException.class).hasMessageContaining("line longer");
        byte[] shorter = Arrays.copyOf(line, RespReader.MAX_LINE);
        assertThat(new RespReader(MAX_BULK).read(ByteBuffer.wrap(shorter))).isSameAs(RespReader.NEED_MORE);
    }

    // ------------------------------------------------------------------------------ harness

    /** Reads {@code input} (ISO-8859-1) every way; all must agree. Returns the values. */
    static List<Object> check(String input) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        List<Object> whole = readAll(List.of(bytes), false);
        String expected = describe(whole);
        for (int split = 0; split <= bytes.length; split++) {
            List<byte[]> pieces = List.of(Arrays.copyOfRange(bytes, 0, split), Arrays.copyOfRange(bytes, split, bytes.length));
            assertThat(describe(readAll(pieces, false))).as("split at " + split).isEqualTo(expected);
        }
        List<byte[]> single = new ArrayList<>();
        for (byte b : bytes) {
            single.add(new byte[] {b});
        }
        assertThat(describe(readAll(single, false))).as("byte by byte").isEqualTo(expected);
        assertThat(describe(readAll(List.of(bytes), true))).as("direct buffer").isEqualTo(expected);
        return whole;
    }

    /** Feeds pieces as a stream would: unconsumed bytes are offered again with the next piece. */
    static List<Object> readAll(List<byte[]> pieces, boolean direct) {
        RespReader r = new RespReader(MAX_BULK);
        List<Object> out = new ArrayList<>();
        byte[] pending = new byte[0];
        for (byte[] piece : pieces) {
            byte[] data = Arrays.copyOf(pending, pending.length + piece.length);
            System.arraycopy(piece, 0, data, pending.length, piece.length);
            ByteBuffer b = direct ? ByteBuffer.allocateDirect(data.length).put(data).flip() : ByteBuffer.wrap(data);
            for (;;) {
                Object v = r.read(b);
                if (v == RespReader.NEED_MORE) {
                    break;
                }
                out.add(v);
            }
            pending = new byte[b.remaining()];
            b.get(pending);
        }
        assertThat(pending).as("nothing left over").isEmpty();
        return out;
    }

    static String describe(Object v) {
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                parts.add(describe(o));
            }
            return parts.toString();
        }
        return String.valueOf(v);
    }
}
