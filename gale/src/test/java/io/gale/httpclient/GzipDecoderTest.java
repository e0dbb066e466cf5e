package io.gale.httpclient;

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

@Timeout(30)
class GzipDecoderTest {
    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(data);
        }
        return bo.toByteArray();
    }

    /** Feeds {@code in} in pieces of {@code step} bytes; returns the decoded bytes. */
    private static byte[] decode(byte[] in, int step) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GzipDecoder d = new GzipDecoder(b -> {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            out.writeBytes(a);
        });
        try {
            for (int i = 0; i < in.length; i += step) {
                d.feed(ByteBuffer.wrap(in, i, Math.min(step, in.length - i)));
            }
            d.finish();
        } finally {
            d.end();
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
}
