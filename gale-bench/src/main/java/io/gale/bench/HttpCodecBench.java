package io.gale.bench;

import io.gale.internal.http.Http1ChunkedEncoder;
import io.gale.internal.http.Http1Encoder;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpVersion;
import java.nio.ByteBuffer;
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
 * The HTTP/1.1 hot paths besides parsing: header lookup in a browser-sized header map (hits in
 * another letter case, and a miss), encoding a TechEmpower-style response head into a reused
 * buffer, and framing a body chunk for a chunked response.
 *
 * <p>Run: {@code java -jar gale-bench/target/benchmarks.jar HttpCodecBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseG1GC", "-Xmx1g"})
public class HttpCodecBench {
    HttpHeaders browser;
    HttpHeaders response;
    ByteBuffer out;
    ByteBuffer chunk;

    @Setup
    public void setUp() {
        browser = new HttpHeaders()
                .add("Host", "www.example.com")
                .add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                .add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .add("Accept-Language", "en-US,en;q=0.5")
                .add("Accept-Encoding", "gzip, deflate, br, zstd")
                .add("Connection", "keep-alive")
                .add("Cookie", "session=abc123; theme=dark")
                .add("Upgrade-Insecure-Requests", "1")
                .add("Sec-Fetch-Dest", "document")
                .add("Sec-Fetch-Mode", "navigate");
        response = new HttpHeaders()
                .add("Server", "Gale")
                .add("Date", "Sun, 29 Nov 2026 16:20:00 GMT")
                .add("Content-Type", "text/plain")
                .add("Content-Length", "13");
        out = ByteBuffer.allocate(4096);
        chunk = ByteBuffer.allocate(8192);
    }

    /** Three lookups in another letter case than stored, and one miss. */
    @Benchmark
    public void headerLookup(Blackhole bh) {
        bh.consume(browser.get("host"));
        bh.consume(browser.get("accept-encoding"));
        bh.consume(browser.get("COOKIE"));
        bh.consume(browser.get("Content-Length"));
    }

    /** Status line and four headers into a reused buffer. */
    @Benchmark
    public int responseHeadEncoding() {
        out.clear();
        Http1Encoder.writeResponseHead(out, HttpVersion.HTTP_1_1, 200, null, response);
        return out.position();
    }

    /** Chunk header, data and CRLF for one 8 KiB piece of a chunked body. */
    @Benchmark
    public ByteBuffer[] chunkFraming() {
        chunk.clear();
        return Http1ChunkedEncoder.frame(chunk);
    }
}
