package io.gale.http2;

import io.gale.http.HttpHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HPACK cost per header block: a browser request (17 fields) and Gale's plaintext response
 * (5 fields), encoded and decoded by Gale and, in the same run, by Netty's HPACK (the
 * netty-codec-http2 that Vert.x brings onto this class path: {@code DefaultHttp2HeadersEncoder},
 * and {@code DefaultHttp2HeadersDecoder}, which also builds and validates a header map).
 * {@code block=first}: a new connection's first block (fresh encoder or decoder each time: literals,
 * Huffman, table inserts); {@code block=repeat}: the same fields again on a warm connection (mostly
 * indexed). Each encoder makes its own choices (Netty Huffman-codes only strings of 512 octets or
 * more by default, Gale whenever it is shorter, as browsers do); both decoders decode the same
 * blocks, Gale's (Huffman-coded). Gale's decode keeps the fields in two arrays, the least a
 * connection does; {@code decodeRequestIntoHeaders} adds them to {@link HttpHeaders} instead
 * (which validates names and values), for the full cost of a request head.
 *
 * <p>Why this class is in {@code io.gale.http2}: the codec is internal (package-private classes of
 * a package {@code module-info} does not export). The benchmarks run from the shaded jar on the
 * class path (module descriptors excluded), where a class of the same package in another jar is
 * in the same runtime package, so it reaches the codec without any public API or {@code --add-opens}.
 *
 * <p>Run: {@code java -jar gale-bench/target/benchmarks.jar HpackBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HpackBench {

    static final String[][] REQUEST = {
        {":method", "GET"},
        {":scheme", "https"},
        {":authority", "www.example.com"},
        {":path", "/articles/42/comments?page=2&sort=new"},
        {"sec-ch-ua", "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\""},
        {"sec-ch-ua-mobile", "?0"},
        {"sec-ch-ua-platform", "\"Linux\""},
        {"upgrade-insecure-requests", "1"},
        {"user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0"
            + " Safari/537.36"},
        {"accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
        {"sec-fetch-site", "same-origin"},
        {"sec-fetch-mode", "navigate"},
        {"sec-fetch-dest", "document"},
        {"referer", "https://www.example.com/articles/42"},
        {"accept-encoding", "gzip, deflate, br, zstd"},
        {"accept-language", "en-US,en;q=0.9"},
        {"cookie", "session=8f2a9c1e7b3d4f6a9e0c; theme=dark"},
    };

    static final String[][] RESPONSE = {
        {":status", "200"},
        {"content-type", "text/plain; charset=UTF-8"},
        {"content-length", "13"},
        {"server", "Gale"},
        {"date", "Mon, 21 Oct 2013 20:13:21 GMT"},
    };

    @Param({"first", "repeat"})
    String block;

    private boolean first;
    private final ByteOut out = new ByteOut(1024);
    private HpackEncoder warmEncoder;
    private HpackDecoder warmRequestDecoder;
    private HpackDecoder warmResponseDecoder;
    private ByteBuffer requestBlock;
    private ByteBuffer responseBlock;
    private final Collect collect = new Collect();

    private DefaultHttp2HeadersEncoder nettyEncoder;
    private DefaultHttp2HeadersDecoder nettyRequestDecoder;
    private DefaultHttp2HeadersDecoder nettyResponseDecoder;
    private Http2Headers nettyRequest;
    private Http2Headers nettyResponse;
    private ByteBuf nettyOut;
    private ByteBuf nettyRequestBlock;
    private ByteBuf nettyResponseBlock;

    /**
     * Collects decoded fields: into arrays, or (with {@link #headers} set) pseudo-header fields
     * aside and the rest into {@link HttpHeaders}.
     */
    static final class Collect implements HpackDecoder.FieldSink {
        HttpHeaders headers;
        final String[] names = new String[32];
        final String[] values = new String[32];
        int count;

        @Override
        public void field(String name, String value, boolean sensitive) {
            if (headers == null) {
                names[count] = name;
                values[count++] = value;
            } else if (name.charAt(0) != ':') {
                headers.add(name, value);
            }
        }
    }

    @Setup
    public void setup() throws Http2Exception {
        first = block.equals("first");
        // Gale: the blocks to decode are the first or the second encoding on one connection
        HpackEncoder requestEncoder = new HpackEncoder(4096);
        HpackEncoder responseEncoder = new HpackEncoder(4096);
        byte[] request1 = encode(requestEncoder, REQUEST);
        byte[] response1 = encode(responseEncoder, RESPONSE);
        requestBlock = ByteBuffer.wrap(first ? request1 : encode(requestEncoder, REQUEST));
        responseBlock = ByteBuffer.wrap(first ? response1 : encode(responseEncoder, RESPONSE));
        warmEncoder = new HpackEncoder(4096);
        encode(warmEncoder, REQUEST);
        encode(warmEncoder, RESPONSE);
        warmRequestDecoder = new HpackDecoder(4096, Http2Limits.DEFAULTS);
        warmResponseDecoder = new HpackDecoder(4096, Http2Limits.DEFAULTS);
        decode(warmRequestDecoder, ByteBuffer.wrap(request1), null);
        decode(warmResponseDecoder, ByteBuffer.wrap(response1), null);
        if (collect.count != RESPONSE.length || decodeRequest() != REQUEST.length
            || decodeRequestIntoHeaders().size() != REQUEST.length - 4) {
            throw new IllegalStateException("blocks do not decode");
        }

        nettyRequest = netty(REQUEST);
        nettyResponse = netty(RESPONSE);
        nettyOut = Unpooled.buffer(1024);
        DefaultHttp2HeadersEncoder e = new DefaultHttp2HeadersEncoder();
        ByteBuf request1n = Unpooled.buffer(1024);
        e.encodeHeaders(1, nettyRequest, request1n);
        ByteBuf request2n = Unpooled.buffer(1024);
        e.encodeHeaders(3, nettyRequest, request2n);
        DefaultHttp2HeadersEncoder e2 = new DefaultHttp2HeadersEncoder();
        ByteBuf response1n = Unpooled.buffer(1024);
        e2.encodeHeaders(1, nettyResponse, response1n);
        ByteBuf response2n = Unpooled.buffer(1024);
        e2.encodeHeaders(3, nettyResponse, response2n);
        nettyEncoder = new DefaultHttp2HeadersEncoder();
        nettyEncoder.encodeHeaders(1, nettyRequest, Unpooled.buffer(1024));
        nettyEncoder.encodeHeaders(1, nettyResponse, Unpooled.buffer(1024));
        // Netty decodes Gale's blocks, as Gale does
        nettyRequestBlock = Unpooled.wrappedBuffer(requestBlock.array());
        nettyResponseBlock = Unpooled.wrappedBuffer(responseBlock.array());
        nettyRequestDecoder = new DefaultHttp2HeadersDecoder(true);
        nettyRequestDecoder.decodeHeaders(1, Unpooled.wrappedBuffer(request1));
        nettyResponseDecoder = new DefaultHttp2HeadersDecoder(true);
        nettyResponseDecoder.decodeHeaders(1, Unpooled.wrappedBuffer(response1));
        if (nettyDecodeRequest().size() != REQUEST.length || nettyDecodeResponse().size() != RESPONSE.length) {
            throw new IllegalStateException("Netty does not decode the blocks");
        }
        // the encoders' output, for the record: Netty's blocks (no Huffman below 512 octets) are larger
        if (request2n.readableBytes() < 1 || response2n.readableBytes() < 1 || request1n.readableBytes() < 1
            || response1n.readableBytes() < 1) {
            throw new IllegalStateException("Netty encoded nothing");
        }
    }

    private byte[] encode(HpackEncoder e, String[][] fields) {
        out.reset();
        e.beginBlock(out);
        for (String[] f : fields) {
            e.encode(f[0], f[1], false, out);
        }
        return out.toByteArray();
    }

    private void decode(HpackDecoder d, ByteBuffer block, HttpHeaders headers) {
        collect.headers = headers;
        collect.count = 0;
        block.position(0);
        if (d.decode(block, true, collect) != null) {
            throw new IllegalStateException("decoding failed");
        }
    }

    private static Http2Headers netty(String[][] fields) {
        Http2Headers h = new DefaultHttp2Headers(true);
        for (String[] f : fields) {
            h.add(f[0], f[1]);
        }
        return h;
    }

    @Benchmark
    public int encodeRequest() {
        return encode(first ? new HpackEncoder(4096) : warmEncoder, REQUEST, 0);
    }

    @Benchmark
    public int encodeResponse() {
        HpackEncoder e = first ? new HpackEncoder(4096) : warmEncoder;
        out.reset();
        e.beginBlock(out);
        e.encodeStatus(200, out);
        for (int i = 1; i < RESPONSE.length; i++) {
            e.encode(RESPONSE[i][0], RESPONSE[i][1], false, out);
        }
        return out.length();
    }

    private int encode(HpackEncoder e, String[][] fields, int from) {
        out.reset();
        e.beginBlock(out);
        for (int i = from; i < fields.length; i++) {
            e.encode(fields[i][0], fields[i][1], false, out);
        }
        return out.length();
    }

    @Benchmark
    public int decodeRequest() {
        decode(first ? new HpackDecoder(4096, Http2Limits.DEFAULTS) : warmRequestDecoder, requestBlock, null);
        return collect.count;
    }

    @Benchmark
    public HttpHeaders decodeRequestIntoHeaders() {
        HttpHeaders h = new HttpHeaders();
        decode(first ? new HpackDecoder(4096, Http2Limits.DEFAULTS) : warmRequestDecoder, requestBlock, h);
        return h;
    }

    @Benchmark
    public int decodeResponse() {
        decode(first ? new HpackDecoder(4096, Http2Limits.DEFAULTS) : warmResponseDecoder, responseBlock, null);
        return collect.count;
    }

    @Benchmark
    public int nettyEncodeRequest() throws Http2Exception {
        nettyOut.clear();
        (first ? new DefaultHttp2HeadersEncoder() : nettyEncoder).encodeHeaders(1, nettyRequest, nettyOut);
        return nettyOut.writerIndex();
    }

    @Benchmark
    public int nettyEncodeResponse() throws Http2Exception {
        nettyOut.clear();
        (first ? new DefaultHttp2HeadersEncoder() : nettyEncoder).encodeHeaders(1, nettyResponse, nettyOut);
        return nettyOut.writerIndex();
    }

    @Benchmark
    public Http2Headers nettyDecodeRequest() throws Http2Exception {
        return (first ? new DefaultHttp2HeadersDecoder(true) : nettyRequestDecoder)
            .decodeHeaders(1, nettyRequestBlock.duplicate());
    }

    @Benchmark
    public Http2Headers nettyDecodeResponse() throws Http2Exception {
        return (first ? new DefaultHttp2HeadersDecoder(true) : nettyResponseDecoder)
            .decodeHeaders(1, nettyResponseBlock.duplicate());
    }
}
