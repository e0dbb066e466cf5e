package io.gale.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Unit tests of the frame codec pieces: masking, UTF-8 validation, decoder, encoder, deflate. */
@Timeout(30)
class CodecTest {

    @Test
    void maskingMatchesTheByteWiseDefinitionAtEveryOffsetAndKeyIndex() {
        Random r = new Random(7);
        for (int len = 0; len < 40; len++) {
            for (int keyIndex = 0; keyIndex < 4; keyIndex++) {
                byte[] a = new byte[len + 5];
                r.nextBytes(a);
                byte[] expected = a.clone();
                int key = r.nextInt();
                for (int i = 0; i < len; i++) {
                    expected[3 + i] ^= (byte) (key >>> (24 - 8 * ((keyIndex + i) & 3)));
                }
                int next = Masking.mask(a, 3, len, key, keyIndex);
                assertThat(a).isEqualTo(expected);
                assertThat(next).isEqualTo((keyIndex + len) & 3);
            }
        }
    }

    @Test
    void maskingInPiecesEqualsMaskingAtOnce() {
        byte[] a = new byte[1000];
        new Random(1).nextBytes(a);
        byte[] whole = a.clone();
        Masking.mask(whole, 0, whole.length, 0x12345678, 0);
        int k = 0;
        for (int off = 0, step = 1; off < a.length; off += step, step = step % 13 + 1) {
            int n = Math.min(step, a.length - off);
            k = Masking.mask(a, off, n, 0x12345678, k);
        }
        assertThat(a).isEqualTo(whole);
    }

    private static boolean jdkValid(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void utf8ValidatorAgreesWithTheJdkDecoderOnRandomInputWholeAndSplit() {
        Random r = new Random(42);
        String alphabet = "aé€😀\u07ff\uffff\ud7ff";
        for (int t = 0; t < 20_000; t++) {
            byte[] b;
            if (t % 2 == 0) {
                b = new byte[r.nextInt(12)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (0x7C + r.nextInt(0x84)); // mostly non-ASCII lead/continuation bytes
                }
            } else {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < r.nextInt(20); i++) {
                    s.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, r.nextInt(7))));
                }
                b = s.toString().getBytes(StandardCharsets.UTF_8);
                if (b.length > 0 && r.nextBoolean()) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8)); // corrupt one bit
                }
            }
            boolean expected = jdkValid(b);
            assertThat(Utf8Validator.isValid(b, 0, b.length)).as(Arrays.toString(b)).isEqualTo(expected);
            Utf8Validator v = new Utf8Validator();
            boolean ok = true;
            for (int i = 0; i < b.length && ok; i++) {
                ok = v.update(b, i, 1);
            }
            assertThat(ok && v.isComplete()).as("byte by byte " + Arrays.toString(b)).isEqualTo(expected);
        }
    }

    @Test
    void utf8ValidatorFailsAtTheFirstBadByteAndStaysFailed() {
        Utf8Validator v = new Utf8Validator();
        assertThat(v.update(new byte[] {'o', 'k', (byte) 0xE2, (byte) 0x82}, 0, 4)).isTrue();
        assertThat(v.isComplete()).isFalse(); // € split across calls
        assertThat(v.update(new byte[] {(byte) 0xAC}, 0, 1)).isTrue();
        assertThat(v.isComplete()).isTrue();
        assertThat(v.update(new byte[] {(byte) 0xF4, (byte) 0x90}, 0, 2)).isFalse(); // > U+10FFFF
        assertThat(v.update(new byte[] {'a'}, 0, 1)).isFalse();
        byte[] ascii = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
        assertThat(Utf8Validator.isValid(ascii, 0, ascii.length)).isTrue();
    }

    @Test
    void closeCodesFollowTheIanaRegistry() {
        for (int c = 0; c < 70000; c++) {
            boolean expected = (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999);
            assertThat(CloseCodes.isValidOnWire(c)).as("code %d", c).isEqualTo(expected);
        }
    }

    /** Records decoder events as text. */
    static final class Recorder implements FrameDecoder.Sink {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();

        @Override
        public boolean dataFrameStart(int opcode, boolean fin, boolean rsv1, long length) {
            events.add("start op=" + opcode + " fin=" + fin + " rsv1=" + rsv1 + " len=" + length);
            return true;
        }

        @Override
        public boolean dataPayload(byte[] a, int off, int len) {
            payload.write(a, off, len);
            return true;
        }

        @Override
        public boolean dataFrameEnd(boolean fin) {
            byte[] b = payload.toByteArray();
            events.add("end " + (b.length <= 16 ? new String(b, StandardCharsets.ISO_8859_1)
                    : b.length + " bytes #" + Arrays.hashCode(b)));
            payload.reset();
            return true;
        }

        @Override
        public boolean control(int opcode, byte[] p) {
            events.add("control op=" + opcode + " " + new String(p, StandardCharsets.ISO_8859_1));
            return true;
        }

        @Override
        public void protocolError(int closeCode, String reason) {
            events.add("error " + closeCode);
        }
    }

    @Test
    void decoderGivesTheSameEventsForAnySplitOfTheInput() {
        MaskKeySource keys = new MaskKeySource();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[] big = new byte[70_000];
        Arrays.fill(big, (byte) 'x');
        wire.writeBytes(FrameEncoder.encode(1, false, false, "frag1".getBytes(), 0, 5, true, keys.nextKey()));
        wire.writeBytes(FrameEncoder.encode(9, true, false, "ping".getBytes(), 0, 4, true, keys.nextKey()));
        wire.writeBytes(FrameEncoder.encode(0, true, false, "frag2".getBytes(), 0, 5, true, keys.nextKey()));
        wire.writeBytes(FrameEncoder.encode(2, true, false, big, 0, 300, true, keys.nextKey()));
        wire.writeBytes(FrameEncoder.encode(2, true, false, big, 0, big.length, true, keys.nextKey()));
        wire.writeBytes(FrameEncoder.encode(1, true, false, new byte[0], 0, 0, true, keys.nextKey()));
        byte[] bytes = wire.toByteArray();

        Recorder whole = new Recorder();
        assertThat(new FrameDecoder(true).decode(bytes.clone(), 0, bytes.length, whole)).isEqualTo(bytes.length);
        assertThat(whole.events).hasSize(11).doesNotContain("error 1002");
        assertThat(whole.events.get(0)).isEqualTo("start op=1 fin=false rsv1=false len=5");
        assertThat(whole.events.get(2)).isEqualTo("control op=9 ping");
        assertThat(whole.events.get(4)).isEqualTo("end frag2");

        for (int chop : new int[] {1, 2, 3, 7, 125, 4096}) {
            Recorder r = new Recorder();
            FrameDecoder d = new FrameDecoder(true);
            byte[] copy = bytes.clone();
            for (int i = 0; i < copy.length; i += chop) {
                int n = Math.min(chop, copy.length - i);
                assertThat(d.decode(copy, i, n, r)).isEqualTo(n);
            }
            assertThat(r.events).as("chop " + chop).isEqualTo(whole.events);
        }
    }

    private static List<String> decode(boolean server, boolean deflate, byte[]... frames) {
        Recorder r = new Recorder();
        FrameDecoder d = new FrameDecoder(server);
        d.setDeflateNegotiated(deflate);
        for (byte[] f : frames) {
            d.decode(f, 0, f.length, r);
        }
        return r.events;
    }

    @Test
    void decoderRejectsFramingViolationsWith1002() {
        byte[] p = "x".getBytes();
        assertThat(decode(true, false, RawClient.frame(0x80, 1, p, false))).containsExactly("error 1002"); // unmasked
        assertThat(decode(false, false, RawClient.frame(0x80, 1, p, true))).containsExactly("error 1002"); // masked to client
        assertThat(decode(true, false, RawClient.frame(0xC0, 1, p))).containsExactly("error 1002"); // RSV1 w/o deflate
        assertThat(decode(true, true, RawClient.frame(0xC0, 9, p))).containsExactly("error 1002"); // RSV1 on control
        assertThat(decode(true, true, RawClient.frame(0x40, 1, p), RawClient.frame(0xC0, 0, p)))
                .endsWith("error 1002"); // RSV1 on a continuation
        assertThat(decode(true, true, RawClient.frame(0xC0, 1, p))).first().asString().contains("rsv1=true");
        assertThat(decode(true, false, RawClient.frame(0xA0, 1, p))).containsExactly("error 1002"); // RSV2
        assertThat(decode(true, false, RawClient.frame(0x80, 3, p))).containsExactly("error 1002");
        assertThat(decode(true, false, RawClient.frame(0x80, 0xB, p))).containsExactly("error 1002");
        assertThat(decode(true, false, RawClient.frame(0x00, 9, p))).containsExactly("error 1002"); // fragmented ping
        assertThat(decode(true, false, RawClient.frame(0x80, 9, new byte[126]))).containsExactly("error 1002");
        assertThat(decode(true, false, RawClient.frame(0x80, 0, p))).containsExactly("error 1002");
        byte[] len63 = {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0};
        assertThat(decode(true, false, len63)).containsExactly("error 1002");
        // Once failed, the decoder consumes nothing more.
        Recorder r = new Recorder();
        FrameDecoder d = new FrameDecoder(true);
        byte[] bad = RawClient.frame(0x80, 3, p);
        d.decode(bad, 0, bad.length, r);
        byte[] good = RawClient.frame(0x80, 1, p);
        assertThat(d.decode(good, 0, good.length, r)).isZero();
        assertThat(r.events).containsExactly("error 1002");
    }

    @Test
    void encoderWritesMinimalLengthsAndUnmaskedServerFrames() {
        for (int len : new int[] {0, 125, 126, 65535, 65536}) {
            byte[] f = FrameEncoder.encode(2, true, false, new byte[len], 0, len, false, 0);
            assertThat(f.length).isEqualTo(len + (len < 126 ? 2 : len < 65536 ? 4 : 10));
            assertThat(f[0] & 0xFF).isEqualTo(0x82);
            assertThat(f[1] & 0x80).isZero();
        }
    }

    @Test
    void deflaterAndInflaterRoundTripWithAndWithoutContextTakeover() throws Exception {
        for (boolean noContext : new boolean[] {false, true}) {
            MessageDeflater out = new MessageDeflater(6, noContext);
            MessageInflater in = new MessageInflater(noContext, new byte[64]);
            for (int i = 0; i < 5; i++) {
                byte[] msg = ("message number " + i + " ").repeat(50 + i).getBytes(StandardCharsets.UTF_8);
                byte[] z = out.compress(msg, 0, msg.length);
                assertThat(z.length).isLessThan(msg.length);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                // fed in 3-byte pieces, as frames may split it
                for (int j = 0; j < z.length; j += 3) {
                    assertThat(in.inflate(z, j, Math.min(3, z.length - j), (a, o, l) -> {
                        got.write(a, o, l);
                        return true;
                    })).isTrue();
                }
                in.finish((a, o, l) -> {
                    got.write(a, o, l);
                    return true;
                });
                assertThat(got.toByteArray()).isEqualTo(msg);
            }
            out.close();
            in.close();
        }
        // Without context takeover equal messages compress to equal bytes (what broadcast sharing needs).
        MessageDeflater d = new MessageDeflater(6, true);
        byte[] m = "same same same same".getBytes(StandardCharsets.UTF_8);
        assertThat(d.compress(m, 0, m.length)).isEqualTo(d.compress(m, 0, m.length));
        d.close();
    }

    @Test
    void everyWindowFrom8To15RoundTripsWithAndWithoutContextTakeover() throws Exception {
        Random random = new Random(7);
        for (int bits = 8; bits <= 15; bits++) {
            for (boolean noContext : new boolean[] {false, true}) {
                MessageDeflater out = new MessageDeflater(6, noContext, bits);
                MessageInflater in = new MessageInflater(noContext, new byte[256]);
                for (int i = 0; i < 6; i++) {
                    // Repeats at distances around each window size, plus noise, over several windows.
                    byte[] msg = new byte[3000 + 7000 * i];
                    for (int j = 0; j < msg.length; j++) {
                        int back = 1 << (8 + (j / 97) % 8);
                        msg[j] = j >= back && random.nextInt(4) > 0 ? msg[j - back] : (byte) random.nextInt(40);
                    }
                    byte[] z = out.compress(msg, 0, msg.length);
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    assertThat(in.inflate(z, 0, z.length, (a, o, l) -> {
                        got.write(a, o, l);
                        return true;
                    })).isTrue();
                    in.finish((a, o, l) -> {
                        got.write(a, o, l);
                        return true;
                    });
                    assertThat(got.toByteArray()).as("bits %d, no context %s, message %d", bits, noContext, i)
                            .isEqualTo(msg);
                    if (noContext) {
                        // Each message stands alone: a fresh JDK inflater reads it.
                        assertThat(inflateAlone(z)).isEqualTo(msg);
                    }
                }
                out.close();
                in.close();
            }
        }
        assertThatThrownBy(() -> new MessageDeflater(6, false, 7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageDeflater(6, false, 16)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyMessagesAfterAFlushStillDecode() throws Exception {
        // zlib writes nothing for an empty message right after a sync flush; we send 00 instead.
        for (int bits : new int[] {9, 15}) {
            for (int level : new int[] {0, 6}) {
                MessageDeflater out = new MessageDeflater(level, false, bits);
                MessageInflater in = new MessageInflater(false, new byte[64]);
                for (String m : new String[] {"", "", "abc", "", "", "abcabc", ""}) {
                    byte[] msg = m.getBytes(StandardCharsets.UTF_8);
                    byte[] z = out.compress(msg, 0, msg.length);
                    assertThat(z).as("never an empty payload").isNotEmpty();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    in.inflate(z, 0, z.length, (a, o, l) -> {
                        got.write(a, o, l);
                        return true;
                    });
                    in.finish((a, o, l) -> {
                        got.write(a, o, l);
                        return true;
                    });
                    assertThat(got.toString(StandardCharsets.UTF_8)).as("bits %d level %d", bits, level).isEqualTo(m);
                }
                out.close();
                in.close();
            }
        }
        // A peer that sends no bytes at all for an empty message: an empty message, context intact.
        MessageDeflater peer = new MessageDeflater(6, false);
        MessageInflater in = new MessageInflater(false, new byte[64]);
        byte[] first = peer.compress("hello".getBytes(StandardCharsets.UTF_8), 0, 5);
        in.inflate(first, 0, first.length, (a, o, l) -> true);
        assertThat(in.finish((a, o, l) -> true)).isTrue();
        assertThat(in.finish((a, o, l) -> {
            throw new AssertionError("no output expected");
        })).isTrue();
        byte[] second = peer.compress("hello".getBytes(StandardCharsets.UTF_8), 0, 5);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        in.inflate(second, 0, second.length, (a, o, l) -> {
            got.write(a, o, l);
            return true;
        });
        in.finish((a, o, l) -> {
            got.write(a, o, l);
            return true;
        });
        assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("hello");
        peer.close();
        in.close();
    }

    private static byte[] inflateAlone(byte[] z) throws Exception {
        java.util.zip.Inflater fresh = new java.util.zip.Inflater(true);
        fresh.setInput(concat(z, new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = fresh.inflate(buf)) > 0) {
            out.write(buf, 0, n);
        }
        fresh.end();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void inflaterStopsABombAtTheLimitWithoutInflatingEverything() throws Exception {
        MessageDeflater d = new MessageDeflater(9, true);
        byte[] zeros = new byte[50 << 20];
        byte[] bomb = d.compress(zeros, 0, zeros.length);
        d.close();
        assertThat(bomb.length).isLessThan(100_000);
        MessageInflater in = new MessageInflater(true, new byte[16 * 1024]);
        long[] seen = {0};
        boolean ok = in.inflate(bomb, 0, bomb.length, (a, o, l) -> {
            seen[0] += l;
            return seen[0] <= (1 << 20);
        });
        assertThat(ok).isFalse();
        assertThat(seen[0]).isLessThan((1 << 20) + 16 * 1024 + 1);
        in.close();
    }

    @Test
    void maskKeysAreNotRepeatedAcrossBatches() {
        MaskKeySource s = new MaskKeySource();
        java.util.Set<Integer> keys = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(s.nextKey());
        }
        assertThat(keys.size()).isGreaterThan(990);
    }
}
