package io.gale.bench;

import io.gale.internal.http.Http1Parser;
import io.gale.http.Http1ParserLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * HTTP/1.1 request parsing throughput: one parser reused across iterations as a keep-alive
 * connection would, fed a typical browser GET (13 header fields) or the TechEmpower plaintext
 * request, plus 16 pipelined plaintext requests in one buffer (the TechEmpower pipelining case).
 *
 * <p>Run: {@code java -jar gale-bench/target/benchmarks.jar HttpParserBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HttpParserBench {

    static final String BROWSER_GET = "GET /articles/42/comments?page=2&sort=new HTTP/1.1\r\n"
        + "Host: www.example.com\r\n"
        + "Connection: keep-alive\r\n"
        + "sec-ch-ua: \"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"\r\n"
        + "sec-ch-ua-mobile: ?0\r\n"
        + "sec-ch-ua-platform: \"Linux\"\r\n"
        + "Upgrade-Insecure-Requests: 1\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
        + "Safari/537.36\r\n"
        + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
        + "Sec-Fetch-Site: same-origin\r\n"
        + "Sec-Fetch-Mode: navigate\r\n"
        + "Referer: https://www.example.com/articles/42\r\n"
        + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
        + "Accept-Language: en-US,en;q=0.9\r\n"
        + "Cookie: session=8f2a9c1e7b3d4f6a; theme=dark\r\n"
        + "\r\n";

    static final String PLAINTEXT = "GET /plaintext HTTP/1.1\r\n"
        + "Host: tfb-server:8080\r\n"
        + "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7\r\n"
        + "Connection: keep-alive\r\n"
        + "\r\n";

    private ByteBuffer browser;
    private ByteBuffer plaintext;
    private ByteBuffer pipelined;
    private Http1Parser parser;

    @Setup
    public void setup() {
        browser = ByteBuffer.wrap(BROWSER_GET.getBytes(StandardCharsets.ISO_8859_1));
        plaintext = ByteBuffer.wrap(PLAINTEXT.getBytes(StandardCharsets.ISO_8859_1));
        pipelined = ByteBuffer.wrap(PLAINTEXT.repeat(16).getBytes(StandardCharsets.ISO_8859_1));
        parser = Http1Parser.forRequests(Http1ParserLimits.DEFAULTS);
        // sanity: every input parses to completed messages
        if (parseAll(browser, null) != 1 || parseAll(plaintext, null) != 1 || parseAll(pipelined, null) != 16) {
            throw new IllegalStateException("benchmark input does not parse");
        }
    }

    /** Parses every message in {@code in} (rewound first); returns the number completed. */
    private int parseAll(ByteBuffer in, Blackhole bh) {
        in.rewind();
        int complete = 0;
        for (;;) {
            switch (parser.next(in)) {
                case HEAD -> {
                    if (bh != null) {
                        bh.consume(parser.target());
                        bh.consume(parser.headers());
                    }
                }
                case MESSAGE_COMPLETE -> complete++;
                case NEED_MORE -> {
                    return complete;
                }
                case BODY -> {
                }
                default -> throw new IllegalStateException("unexpected: " + parser.error());
            }
        }
    }

    @Benchmark
    public int browserGet(Blackhole bh) {
        return parseAll(browser, bh);
    }

    @Benchmark
    public int techEmpowerPlaintext(Blackhole bh) {
        return parseAll(plaintext, bh);
    }

    @Benchmark
    public int techEmpowerPlaintextPipelined16(Blackhole bh) {
        return parseAll(pipelined, bh);
    }
}
