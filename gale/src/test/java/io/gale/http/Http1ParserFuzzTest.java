package io.gale.http;

import io.gale.internal.http.Http1Parser;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.internal.http.Http1Parser.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded mutation fuzzing over the llhttp corpus: whatever the bytes and however they are split,
 * the parser must never throw, must make progress on every call (no loop), and must end in a
 * defined event. Reproducible: a failure names the seed and iteration.
 */
@Timeout(120)
class Http1ParserFuzzTest {
    private static final long SEED = 0x6a1e_c0de_2026L;
    private static final int ITERATIONS = 200_000;

    @Test
    void mutatedCorpusNeverThrowsNorLoops() throws IOException {
        List<byte[]> corpus = new ArrayList<>();
        for (String f : new String[] {"request/sample.md", "request/transfer-encoding.md", "request/content-length.md",
            "request/invalid.md", "request/pipelining.md", "request/connection.md", "response/sample.md",
            "response/transfer-encoding.md", "response/connection.md"}) {
            for (LlhttpMarkdown.Vector v : LlhttpMarkdown.read("/vectors/llhttp/" + f)) {
                corpus.add(v.input());
            }
        }
        SplittableRandom rnd = new SplittableRandom(SEED);
        Http1ParserLimits small = Http1ParserLimits.builder().maxStartLineLength(64).maxHeaderSize(256)
            .maxHeaderCount(8).maxBodySize(64).maxChunkExtensionSize(16).maxTrailerSize(32).build();
        for (int it = 0; it < ITERATIONS; it++) {
            byte[] input = mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
            boolean requests = rnd.nextBoolean();
            Http1ParserLimits limits = rnd.nextInt(4) == 0 ? small : Http1ParserLimits.DEFAULTS;
            Http1Parser p = requests ? Http1Parser.forRequests(limits) : Http1Parser.forResponses(limits);
            if (!requests && rnd.nextInt(8) == 0) {
                p.expectResponseTo(rnd.nextBoolean() ? "HEAD" : "CONNECT");
            }
            try {
                feed(p, input, rnd);
            } catch (Throwable t) {
                throw new AssertionError("seed " + SEED + " iteration " + it + " input "
                    + new String(input, java.nio.charset.StandardCharsets.ISO_8859_1), t);
            }
        }
    }

    private static void feed(Http1Parser p, byte[] input, SplittableRandom rnd) {
        ByteBuffer buf = rnd.nextBoolean() ? ByteBuffer.allocate(input.length) : ByteBuffer.allocateDirect(input.length);
        buf.flip();
        int off = 0;
        int calls = 0;
        while (off < input.length) {
            int n = Math.min(input.length - off, 1 + rnd.nextInt(Math.max(1, input.length / 2)));
            buf.compact().put(input, off, n).flip();
            off += n;
            for (;;) {
                int before = buf.remaining();
                Event e = p.next(buf);
                assertThat(++calls).as("progress").isLessThan(input.length * 4 + 32);
                if (e == Event.NEED_MORE) {
                    assertThat(buf.hasRemaining()).isFalse();
                    break;
                }
                if (e == Event.ERROR) {
                    assertThat(p.error()).isNotNull();
                    assertThat(p.error().status()).isIn(400, 413, 414, 431, 501, 505);
                    return;
                }
                if (e == Event.UPGRADE) {
                    if (rnd.nextBoolean()) {
                        return;
                    }
                    p.declineUpgrade();
                }
                if (e == Event.BODY) {
                    assertThat(p.body().remaining()).isPositive();
                }
                assertThat(buf.remaining()).isLessThanOrEqualTo(before);
            }
        }
        Event end = p.finish();
        assertThat(end).isIn(Event.END, Event.MESSAGE_COMPLETE, Event.ERROR);
    }

    private static final byte[] INTERESTING = {'\r', '\n', ' ', '\t', ':', ';', '"', '\\', ',', '0', 'f', 'F', '/',
        0, 0x7f, (byte) 0x80, (byte) 0xff, '=', '#', '*'};

    private static byte[] mutate(byte[] src, SplittableRandom rnd) {
        byte[] b = src.clone();
        int mutations = 1 + rnd.nextInt(4);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int pos = rnd.nextInt(b.length);
            switch (rnd.nextInt(5)) {
                case 0 -> b[pos] = (byte) rnd.nextInt(256);
                case 1 -> b[pos] = INTERESTING[rnd.nextInt(INTERESTING.length)];
                case 2 -> { // delete a range
                    int len = Math.min(b.length - pos, 1 + rnd.nextInt(8));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, pos);
                    System.arraycopy(b, pos + len, c, pos, b.length - pos - len);
                    b = c;
                }
                case 3 -> { // insert interesting bytes
                    int len = 1 + rnd.nextInt(4);
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, pos);
                    for (int i = 0; i < len; i++) {
                        c[pos + i] = INTERESTING[rnd.nextInt(INTERESTING.length)];
                    }
                    System.arraycopy(b, pos, c, pos + len, b.length - pos);
                    b = c;
                }
                default -> { // duplicate a range (pipelining, repeated headers)
                    int len = Math.min(b.length - pos, 1 + rnd.nextInt(64));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, pos + len);
                    System.arraycopy(b, pos, c, pos + len, b.length - pos);
                    b = c;
                }
            }
        }
        return b;
    }
}
