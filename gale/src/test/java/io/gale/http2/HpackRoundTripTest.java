package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http2.HpackDriver.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gale's encoder against Gale's decoder over random header lists: random table sizes that change
 * between blocks (exercising size-update signalling on both sides), blocks cut into random
 * fragments, and after every block the two dynamic tables must hold the same entries. Some blocks
 * also go through {@link HpackDriver#check} (every cut position).
 */
@Timeout(120)
class HpackRoundTripTest {

    static final String[] NAMES = {
        ":authority", ":method", ":path", ":scheme", ":status", "accept", "accept-encoding", "accept-language",
        "authorization", "cache-control", "content-length", "content-type", "cookie", "date", "etag", "host",
        "location", "server", "set-cookie", "user-agent", "vary", "x-forwarded-for", "sec-fetch-mode",
        "x-custom", "x-request-id", "a", "proxy-authorization",
    };

    /** A random field: known or random name, value ASCII or any octet, empty to long. */
    static Field randomField(Random r, List<Field> seen) {
        if (!seen.isEmpty() && r.nextInt(3) == 0) {
            return seen.get(r.nextInt(seen.size()));
        }
        String name;
        if (r.nextInt(4) == 0) {
            char[] c = new char[1 + r.nextInt(r.nextInt(10) == 0 ? 80 : 16)];
            for (int i = 0; i < c.length; i++) {
                c[i] = (char) ('a' + r.nextInt(26));
                if (i > 0 && r.nextInt(8) == 0) {
                    c[i] = '-';
                }
            }
            name = new String(c);
        } else {
            name = NAMES[r.nextInt(NAMES.length)];
        }
        int len = switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> r.nextInt(300);
            default -> r.nextInt(24);
        };
        char[] v = new char[len];
        boolean binary = r.nextInt(5) == 0;
        for (int i = 0; i < len; i++) {
            v[i] = (char) (binary ? r.nextInt(256) : 32 + r.nextInt(95));
        }
        Field f = new Field(name, new String(v), r.nextInt(10) == 0);
        seen.add(f);
        return f;
    }

    static List<Field> randomList(Random r, List<Field> seen) {
        List<Field> l = new ArrayList<>();
        int n = r.nextInt(r.nextInt(8) == 0 ? 60 : 12);
        for (int i = 0; i < n; i++) {
            l.add(randomField(r, seen));
        }
        return l;
    }

    private static final long[] SIZES = {0, 1, 32, 64, 100, 256, 1000, 4096, 8192, 65536};

    @Test
    void randomListsRandomTableSizesRandomFragments() {
        Http2Limits limits = Http2Limits.builder().maxHeaderListSize(1 << 20).maxHeaderBlockSize(1 << 21).build();
        for (int seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            HpackEncoder enc = new HpackEncoder(r.nextBoolean() ? 4096 : 65536);
            HpackDecoder dec = new HpackDecoder(HpackDecoder.DEFAULT_TABLE_SIZE, limits);
            List<Field> seen = new ArrayList<>();
            ByteOut out = new ByteOut(64);
            for (int block = 0; block < 25; block++) {
                if (block == 0 || r.nextInt(6) == 0) {
                    // our SETTINGS_HEADER_TABLE_SIZE changes and is acknowledged; the peer's encoder learns it
                    long size = SIZES[r.nextInt(SIZES.length)];
                    dec.setMaxTableSize(size);
                    enc.setPeerMaxTableSize(size);
                }
                List<Field> list = randomList(r, seen);
                out.reset();
                enc.beginBlock(out);
                for (Field f : list) {
                    enc.encode(f.name(), f.value(), f.sensitive(), out);
                }
                byte[] bytes = out.toByteArray();
                List<Field> got = new ArrayList<>();
                int p = 0;
                do {
                    int n = Math.min(bytes.length - p, r.nextInt(1 + r.nextInt(64)));
                    Http2Error e = dec.decode(ByteBuffer.wrap(bytes, p, n), p + n == bytes.length,
                        (name, value, s) -> got.add(new Field(name, value, false)));
                    assertThat(e).as("seed %d block %d", seed, block).isNull();
                    p += n;
                } while (p < bytes.length);
                List<Field> expected = list.stream().map(f -> new Field(f.name(), f.value(), false)).toList();
                assertThat(got).as("seed %d block %d", seed, block).isEqualTo(expected);
                assertThat(HpackDriver.table(dec.table())).as("tables in step, seed %d block %d", seed, block)
                    .isEqualTo(HpackDriver.table(enc.table()));
                assertThat(dec.table().capacity()).isEqualTo(enc.table().capacity());
            }
        }
    }

    @Test
    void encodedBlocksSurviveEveryCut() {
        Random r = new Random(42);
        HpackEncoder enc = new HpackEncoder(4096);
        List<Field> seen = new ArrayList<>();
        List<byte[]> blocks = new ArrayList<>();
        List<List<Field>> lists = new ArrayList<>();
        ByteOut out = new ByteOut(64);
        enc.setPeerMaxTableSize(300);
        for (int i = 0; i < 6; i++) {
            List<Field> list = randomList(r, seen);
            out.reset();
            enc.beginBlock(out);
            for (Field f : list) {
                enc.encode(f.name(), f.value(), f.sensitive(), out);
            }
            blocks.add(out.toByteArray());
            lists.add(list);
        }
        HpackDriver.Outcome o = HpackDriver.check(() -> {
            HpackDecoder d = new HpackDecoder(4096, Http2Limits.DEFAULTS);
            d.setMaxTableSize(300);
            return d;
        }, blocks);
        assertThat(o.error()).isNull();
        for (int i = 0; i < lists.size(); i++) {
            assertThat(o.blocks().get(i).stream().map(f -> f.name() + ": " + f.value()).toList())
                .isEqualTo(lists.get(i).stream().map(f -> f.name() + ": " + f.value()).toList());
        }
    }
}
