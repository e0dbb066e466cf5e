package io.gale.http;

import io.gale.internal.http.GzipDecoder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one gzip decoder of the server (decompressRequest) and the client (decompressResponse). */
@Timeout(30)
class GzipDecoderTest {
    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(data);
        }
        return bo.toByteArray();
    }

    /**
     * Feeds {@code in} in pieces of {@code step} bytes, draining each, as the server and the client
     * do; returns the decoded bytes, or throws the decoder's error as an IOException.
     */
    private static byte[] decode(byte[] in, int step) throws IOException {
        return decode(in, step, Long.MAX_VALUE);
    }

    private static byte[] decode(byte[] in, int step, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipDecoder d = new GzipDecoder(1000, max)) {
            for (int i = 0; i < in.length; i += step) {
                d.feed(ByteBuffer.wrap(in, i, Math.min(step, in.length - i)));
                for (ByteBuffer piece = d.next(); piece != null; piece = d.next()) {
                    assertThat(piece.remaining()).isLessThanOrEqualTo(1000);
                    byte[] a = new byte[piece.remaining()];
                    piece.get(a);
                    out.writeBytes(a);
                }
                if (d.error() != null) {
                    throw new IOException((d.tooLarge() ? "too large: " : "") + d.error());
                }
            }
            String end = d.finish();
            if (end != null) {
                throw new IOException(end);
            }
        }
        return out.toByteArray();
    }

    @Test
    void decodesInAnySplit() throws IOException {
        byte[] data = new byte[200_000];
        new Random(1).nextBytes(data);
        Arrays.fill(data, 50_000, 150_000, (byte) 'a');
        byte[] gz = gzip(data);
        for (int step : new int[] {1, 7, 10, 4096, gz.length}) {
            assertThat(decode(gz, step)).isEqualTo(data);
        }
        assertThat(decode(gzip(new byte[0]), 3)).isEmpty();
    }

    @Test
    void skipsOptionalHeaderFields() throws IOException {
        byte[] payload = "optional fields".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3});
        b.writeBytes(new byte[] {3, 0, 'x', 'y', 'z'});           // FEXTRA
        b.writeBytes("name.txt\0".getBytes(StandardCharsets.US_ASCII)); // FNAME
        b.writeBytes("a comment\0".getBytes(StandardCharsets.US_ASCII)); // FCOMMENT
        b.writeBytes(new byte[] {0x12, 0x34});                    // FHCRC (not checked)
        Deflater def = new Deflater(6, true);
        def.setInput(payload);
        def.finish();
        byte[] raw = new byte[100];
        int n = def.deflate(raw);
        b.write(raw, 0, n);
        CRC32 crc = new CRC32();
        crc.update(payload);
        long c = crc.getValue();
        b.writeBytes(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) payload.length, 0, 0, 0});
        for (int step : new int[] {1, 5, 1000}) {
            assertThat(decode(b.toByteArray(), step)).isEqualTo(payload);
        }
    }

    @Test
    void rejectsMalformedStreams() throws IOException {
        byte[] good = gzip("some text that is long enough to corrupt in the middle".getBytes(StandardCharsets.US_ASCII));
        byte[] magic = good.clone();
        magic[0] = 0x1e;
        assertThatThrownBy(() -> decode(magic, 100)).hasMessageContaining("magic");
        byte[] method = good.clone();
        method[2] = 7;
        assertThatThrownBy(() -> decode(method, 100)).hasMessageContaining("compression method");
        byte[] crc = good.clone();
        crc[crc.length - 6] ^= 0x55;
        assertThatThrownBy(() -> decode(crc, 100)).hasMessageContaining("CRC");
        byte[] size = good.clone();
        size[size.length - 2] ^= 1;
        assertThatThrownBy(() -> decode(size, 100)).hasMessageContaining("size mismatch");
        assertThatThrownBy(() -> decode(Arrays.copyOf(good, good.length - 3), 100)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> decode(Arrays.copyOf(good, 5), 100)).hasMessageContaining("truncated");
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        assertThatThrownBy(() -> decode(trailing, 100)).hasMessageContaining("after the end");
        byte[] garbage = good.clone();
        for (int i = 10; i < 20; i++) {
            garbage[i] = (byte) 0xff;
        }
        assertThatThrownBy(() -> decode(garbage, 100)).isInstanceOf(IOException.class);
    }

    @Test
    void concatenatedMembersAreOneBody() throws IOException {
        byte[] a = gzip("first ".getBytes(StandardCharsets.US_ASCII));
        byte[] b = gzip("second".getBytes(StandardCharsets.US_ASCII));
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        for (int step : new int[] {1, 3, both.length}) {
            assertThat(new String(decode(both, step), StandardCharsets.US_ASCII)).isEqualTo("first second");
        }
    }

    @Test
    void aBombStopsAtTheLimit() throws IOException {
        byte[] bomb = gzip(new byte[10_000_000]); // ~10 KB compressed
        assertThatThrownBy(() -> decode(bomb, 4096, 100_000)).hasMessageStartingWith("too large");
        assertThat(decode(bomb, 4096, 10_000_000)).hasSize(10_000_000);
    }

    @Test
    void retainedInputSurvivesTheCallersBuffer() throws IOException {
        byte[] data = "kept across reads ".repeat(500).getBytes(StandardCharsets.US_ASCII);
        byte[] gz = gzip(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipDecoder d = new GzipDecoder(64, Long.MAX_VALUE)) {
            byte[] lent = gz.clone();
            d.feed(ByteBuffer.wrap(lent));
            ByteBuffer first = d.next(); // one piece, then the caller must give its buffer back
            out.write(first.array(), first.arrayOffset() + first.position(), first.remaining());
            d.retainInput();
            Arrays.fill(lent, (byte) 0);
            for (ByteBuffer piece = d.next(); piece != null; piece = d.next()) {
                out.write(piece.array(), piece.arrayOffset() + piece.position(), piece.remaining());
            }
            assertThat(d.finish()).isNull();
        }
        assertThat(out.toByteArray()).isEqualTo(data);
    }
}
