package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gale.http2.HpackDriver.Field;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with an independent HPACK implementation, Debian's python3-hpack (run by
 * {@code /usr/bin/python3}, script {@code hpack_peer.py}): a few thousand random header lists
 * encoded by Gale and decoded by hpack, and the reverse, each connection's blocks sharing one
 * dynamic table whose size changes now and then, with and without Huffman coding, never-indexed
 * fields included. The test fails, not skips, when python3-hpack is missing ({@code .ci/run}
 * installs it).
 */
@Timeout(180)
class HpackInteropTest {

    private static final int CONNECTIONS = 60;
    private static final int LISTS = 50;
    private static final long[] SIZES = {0, 64, 256, 1000, 4096, 4096, 4096, 16384};
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonGenerator.Feature.ESCAPE_NON_ASCII);

    /** What Gale's encoder should have marked never-indexed (RFC 7541 section 7.1.3 policy of HpackEncoder). */
    private static boolean expectNeverIndexed(Field f) {
        if (HpackStaticTable.find(f.name(), f.value()) > 0) {
            return false;
        }
        return f.sensitive() || f.name().equals("authorization") || f.name().equals("proxy-authorization")
            || (f.name().equals("cookie") && f.value().length() < 20);
    }

    @Test
    void galeAndPythonHpackUnderstandEachOther(@TempDir Path dir) throws Exception {
        Random r = new Random(20240416);
        ObjectNode request = JSON.createObjectNode();
        ArrayNode toDecode = request.putArray("decode");
        ArrayNode toEncode = request.putArray("encode");
        List<List<List<Field>>> galeLists = new ArrayList<>();
        List<List<List<Field>>> pythonLists = new ArrayList<>();
        List<List<Long>> pythonSizes = new ArrayList<>();
        int secret = 0;
        for (int c = 0; c < CONNECTIONS; c++) {
            // Gale encodes: the peer (python) decoder's SETTINGS_HEADER_TABLE_SIZE changes now and then
            HpackEncoder enc = new HpackEncoder(r.nextBoolean() ? 4096 : 65536);
            ObjectNode conn = toDecode.addObject();
            ArrayNode sizes = conn.putArray("sizes");
            ArrayNode blocks = conn.putArray("blocks");
            List<List<Field>> lists = new ArrayList<>();
            List<Field> seen = new ArrayList<>();
            long size = 4096;
            ByteOut out = new ByteOut(256);
            for (int i = 0; i < LISTS; i++) {
                if (r.nextInt(8) == 0) {
                    size = SIZES[r.nextInt(SIZES.length)];
                    enc.setPeerMaxTableSize(size);
                }
                List<Field> list = HpackRoundTripTest.randomList(r, seen);
                out.reset();
                enc.beginBlock(out);
                for (Field f : list) {
                    enc.encode(f.name(), f.value(), f.sensitive(), out);
                }
                sizes.add(size);
                blocks.add(HexFormat.of().formatHex(out.toByteArray()));
                lists.add(list);
            }
            galeLists.add(lists);

            // python encodes: sensitive values are unique so that hpack never finds them in a table
            ObjectNode pconn = toEncode.addObject();
            ArrayNode psizes = pconn.putArray("sizes");
            ArrayNode huffman = pconn.putArray("huffman");
            ArrayNode plists = pconn.putArray("lists");
            List<List<Field>> expected = new ArrayList<>();
            List<Long> sizeList = new ArrayList<>();
            List<Field> pseen = new ArrayList<>();
            long psize = 4096;
            for (int i = 0; i < LISTS; i++) {
                if (r.nextInt(8) == 0) {
                    psize = SIZES[r.nextInt(SIZES.length)];
                }
                psizes.add(psize);
                sizeList.add(psize);
                huffman.add(r.nextInt(4) != 0);
                ArrayNode fields = plists.addArray();
                List<Field> list = new ArrayList<>();
                for (Field f : HpackRoundTripTest.randomList(r, pseen)) {
                    Field g = f.sensitive() ? new Field(f.name(), "secret-" + secret++ + f.value(), true) : f;
                    list.add(g);
                    ArrayNode a = fields.addArray();
                    a.add(g.name()).add(g.value()).add(g.sensitive());
                }
                expected.add(list);
            }
            pythonLists.add(expected);
            pythonSizes.add(sizeList);
        }

        JsonNode response = runPeer(dir, JSON.writeValueAsBytes(request));

        // python decoded Gale's blocks
        int checked = 0;
        for (int c = 0; c < CONNECTIONS; c++) {
            JsonNode blocks = response.get("decoded").get(c);
            for (int i = 0; i < LISTS; i++) {
                List<Field> want = galeLists.get(c).get(i).stream()
                    .map(f -> new Field(f.name(), f.value(), expectNeverIndexed(f))).toList();
                List<Field> got = new ArrayList<>();
                for (JsonNode f : blocks.get(i)) {
                    got.add(new Field(f.get(0).asText(), f.get(1).asText(), f.get(2).asBoolean()));
                }
                assertThat(got).as("python decoding Gale, connection %d list %d", c, i).isEqualTo(want);
                checked++;
            }
        }
        // Gale decodes python's blocks; our setting changes are acknowledged before each block
        Http2Limits limits = Http2Limits.builder().maxHeaderListSize(1 << 20).maxHeaderBlockSize(1 << 21).build();
        for (int c = 0; c < CONNECTIONS; c++) {
            HpackDecoder dec = new HpackDecoder(HpackDecoder.DEFAULT_TABLE_SIZE, limits);
            long current = HpackDecoder.DEFAULT_TABLE_SIZE;
            JsonNode blocks = response.get("encoded").get(c);
            for (int i = 0; i < LISTS; i++) {
                long size = pythonSizes.get(c).get(i);
                if (size != current) {
                    dec.setMaxTableSize(size);
                    current = size;
                }
                byte[] block = HexFormat.of().parseHex(blocks.get(i).asText());
                List<Field> got = new ArrayList<>();
                // cut in two at a random point: python's block, as two frames
                int cut = block.length == 0 ? 0 : r.nextInt(block.length);
                assertThat(dec.decode(ByteBuffer.wrap(block, 0, cut), false, (n, v, s) -> got.add(new Field(n, v, s))))
                    .isNull();
                Http2Error e = dec.decode(ByteBuffer.wrap(block, cut, block.length - cut), true,
                    (n, v, s) -> got.add(new Field(n, v, s)));
                assertThat(e).as("Gale decoding python, connection %d list %d", c, i).isNull();
                assertThat(got).as("Gale decoding python, connection %d list %d", c, i)
                    .isEqualTo(pythonLists.get(c).get(i));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(2 * CONNECTIONS * LISTS);
    }

    private static JsonNode runPeer(Path dir, byte[] input) throws Exception {
        Path script = Path.of(HpackInteropTest.class.getResource("hpack_peer.py").toURI());
        File stderr = dir.resolve("stderr.txt").toFile();
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString())
            .redirectError(stderr)
            .start();
        p.getOutputStream().write(input);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("hpack_peer.py did not finish");
        }
        String err = Files.readString(stderr.toPath(), StandardCharsets.UTF_8);
        if (p.exitValue() == 3) {
            fail("Debian's python3-hpack is required (apt-get install python3-hpack; .ci/run installs it): " + err);
        }
        assertThat(p.exitValue()).as("hpack_peer.py failed: %s", err).isZero();
        return JSON.readTree(out);
    }
}
