package io.gale.http2;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side bridge to Gale's {@link HpackDecoder} for the raw-frame conformance client
 * ({@code io.gale.http2.conformance}): that client writes its own field blocks byte by byte, but
 * reading the server's answers (a response head is HPACK with Huffman coding and a dynamic table)
 * only needs a decoder that is in step with the server's encoder. Decoding what the server sends is
 * not what the suite tests; the server's decoder, which the suite does test, is a different
 * instance on the other end of the socket.
 *
 * <p>Not thread-safe; one per connection, fed every field block of the connection in order.
 */
public final class ResponseHeadDecoder {
    private final HpackDecoder decoder = new HpackDecoder(HpackDecoder.DEFAULT_TABLE_SIZE, Http2Limits.DEFAULTS);
    private final List<String[]> fields = new ArrayList<>();

    /**
     * Decodes one fragment of a field block.
     *
     * @return the block's fields (name, value) when {@code endOfBlock}, else null
     * @throws IllegalStateException if the server's block does not decode
     */
    public List<String[]> decode(byte[] fragment, boolean endOfBlock) {
        Http2Error e = decoder.decode(ByteBuffer.wrap(fragment), endOfBlock,
            (name, value, sensitive) -> fields.add(new String[] {name, value}));
        if (e != null) {
            throw new IllegalStateException("the server's field block does not decode: " + e);
        }
        if (!endOfBlock) {
            return null;
        }
        List<String[]> block = List.copyOf(fields);
        fields.clear();
        return block;
    }
}
