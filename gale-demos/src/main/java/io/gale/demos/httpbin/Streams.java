package io.gale.demos.httpbin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.concurrent.Futures;
import io.gale.http.ByteRange;
import io.gale.http.HttpUtil;
import io.gale.http.RangeResult;
import io.gale.ioloop.Timeout;
import io.gale.web.Asynchronous;
import io.gale.web.HttpError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Bodies that take time or come in pieces: {@code /stream/{n}}, {@code /stream-bytes/{n}},
 * {@code /bytes/{n}}, {@code /range/{n}}, {@code /drip} and {@code /delay/{n}}. None of them
 * blocks the loop: waiting is done by loop timers, streaming by flushes that complete when the
 * client has taken the bytes.
 */
final class Streams {
    /** httpbin's cap on generated bodies: 100 KiB. */
    static final int MAX_BYTES = 100 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Streams() {
    }

    private static RandomGenerator random(HttpBinHandler h) {
        String seed = h.getArgument("seed", null);
        return seed == null ? ThreadLocalRandom.current()
                : new Random(HttpBinHandler.intArg("seed", seed, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    /**
     * {@code GET /stream/{n}}: n (at most 100) JSON lines of the {@code /get} shape plus "id",
     * each flushed on its own. Future style: the response finishes when the returned stage does.
     */
    public static final class Stream extends HttpBinHandler {
        public CompletionStage<?> get(String n) throws JsonProcessingException {
            int count = Math.min(intArg("n", n, 0, Integer.MAX_VALUE), 100);
            Map<String, Object> line = RequestEcho.get(request());
            setHeader("Content-Type", "application/json");
            byte[][] lines = new byte[count][];
            for (int i = 0; i < count; i++) {
                line.put("id", i);
                byte[] json = MAPPER.writeValueAsBytes(line);
                lines[i] = Arrays.copyOf(json, json.length + 1);
                lines[i][json.length] = '\n';
            }
            int[] next = {0};
            return ChunkPump.pump(this, () -> next[0] < count ? lines[next[0]++] : null);
        }
    }

    /**
     * {@code GET /stream-bytes/{n}?seed=S&chunk_size=C}: n random bytes (at most 100 KiB) sent
     * chunked in pieces of C bytes (default 10240); the same seed gives the same bytes. Future style.
     */
    public static final class StreamBytes extends HttpBinHandler {
        public CompletionStage<?> get(String n) {
            int total = Math.min(intArg("n", n, 0, Integer.MAX_VALUE), MAX_BYTES);
            int chunkSize = intArgument("chunk_size", 10 * 1024, 1, Integer.MAX_VALUE);
            RandomGenerator random = random(this);
            setHeader("Content-Type", "application/octet-stream");
            int[] sent = {0};
            return ChunkPump.pump(this, () -> {
                if (sent[0] >= total) {
                    return null;
                }
                byte[] piece = new byte[Math.min(chunkSize, total - sent[0])];
                random.nextBytes(piece);
                sent[0] += piece.length;
                return piece;
            });
        }
    }

    /** {@code GET /bytes/{n}?seed=S}: n random bytes (at most 100 KiB), seeded when asked. */
    public static final class Bytes extends HttpBinHandler {
        public void get(String n) {
            int total = Math.min(intArg("n", n, 0, Integer.MAX_VALUE), MAX_BYTES);
            byte[] body = new byte[total];
            random(this).nextBytes(body);
            setHeader("Content-Type", "application/octet-stream");
            write(body);
        }
    }

    /**
     * {@code GET /range/{n}}: n bytes (1 to 100 KiB) of {@code abc...z} repeated, with
     * {@code Accept-Ranges: bytes} and {@code ETag: "range{n}"}; a {@code Range} header gets 206
     * (one range, or {@code multipart/byteranges} for several) or 416; {@code If-Range} with
     * another tag gets the whole body. httpbin's {@code chunk_size} and {@code duration} are not
     * supported. Beyond the limit (0 or more than 100 KiB) the answer is httpbin's: 404 with
     * {@code number of bytes must be in the range (0, 102400]}; a path that is not a number is
     * the plain 404 of an unknown path (httpbin's route takes digits only).
     */
    public static final class Range extends HttpBinHandler {
        public void get(String n) {
            if (!n.matches("[0-9]{1,9}")) {
                throw new HttpError(404);
            }
            int size = Integer.parseInt(n);
            String etag = "\"range" + size + '"';
            if (size == 0 || size > MAX_BYTES) {
                setStatus(404);
                setHeader("ETag", etag);
                setHeader("Accept-Ranges", "bytes");
                setHeader("Content-Type", "text/html; charset=utf-8");
                write("number of bytes must be in the range (0, " + MAX_BYTES + "]");
                return;
            }
            setHeader("ETag", etag);
            setHeader("Accept-Ranges", "bytes");
            setHeader("Content-Type", "application/octet-stream");
            String range = request().headers().get("Range");
            String ifRange = request().headers().get("If-Range");
            RangeResult result = range == null || (ifRange != null && !ifRange.strip().equals(etag))
                    ? new RangeResult.Ignored() : HttpUtil.parseRange(range, size);
            switch (result) {
                case RangeResult.Ignored ignored -> write(letters(0, size));
                case RangeResult.Unsatisfiable u -> {
                    setStatus(416);
                    setHeader("Content-Range", "bytes */" + size);
                }
                case RangeResult.Satisfiable s when s.ranges().size() == 1 -> {
                    ByteRange r = s.ranges().get(0);
                    setStatus(206);
                    setHeader("Content-Range", r.contentRange(size));
                    write(letters((int) r.start(), (int) r.end()));
                }
                case RangeResult.Satisfiable s -> {
                    String boundary = Long.toHexString(ThreadLocalRandom.current().nextLong());
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    for (ByteRange r : s.ranges()) {
                        out.writeBytes(("--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: "
                                + r.contentRange(size) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.writeBytes(letters((int) r.start(), (int) r.end()));
                        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
                    setStatus(206);
                    setHeader("Content-Type", "multipart/byteranges; boundary=" + boundary);
                    write(out.toByteArray());
                }
            }
        }

        /** Bytes {@code [from, to)} of {@code abcdefghijklmnopqrstuvwxyzabc...}. */
        static byte[] letters(int from, int to) {
            byte[] b = new byte[to - from];
            for (int i = from; i < to; i++) {
                b[i - from] = (byte) ('a' + i % 26);
            }
            return b;
        }
    }

    /**
     * {@code GET /drip?duration=D&numbytes=N&code=C&delay=W}: after W seconds (default 0, at most
     * 10), N bytes of {@code *} (default 10, at most 10 MiB) spread evenly over D seconds (default
     * 2, at most 60), with status C (default 200) and a {@code Content-Length} of N.
     *
     * <p>Callback style ({@link Asynchronous}): {@code get} only schedules the first loop timer;
     * each timer writes its bytes, flushes, and schedules the next once the flush completed; the
     * last one calls {@code finish()}. Pieces are at least a millisecond apart (more bytes per
     * piece when N is large), and a client that leaves stops the timers.
     */
    public static final class Drip extends HttpBinHandler {
        private int ticks;
        private int tick;
        private int numbytes;
        private long intervalNanos;
        private boolean bodyless;
        private Timeout timer;

        @Asynchronous
        public void get() {
            double duration = numberArgument("duration", 2, 0, 60);
            numbytes = intArgument("numbytes", 10, 1, 10 * 1024 * 1024);
            int code = intArgument("code", 200, 200, 599);
            double delay = numberArgument("delay", 0, 0, 10);
            setStatus(code);
            setHeader("Content-Type", "application/octet-stream");
            bodyless = code == 204 || code == 304;
            if (!bodyless) {
                setHeader("Content-Length", numbytes);
            }
            long durationNanos = (long) (duration * 1e9);
            ticks = (int) Math.max(1, Math.min(numbytes, durationNanos / 1_000_000));
            intervalNanos = durationNanos / ticks;
            timer = loop().callLater(Duration.ofNanos((long) (delay * 1e9)), this::tick);
        }

        private void tick() {
            if (isConnectionClosed()) {
                return;
            }
            if (bodyless || tick == ticks) {
                finish();
                return;
            }
            byte[] piece = new byte[numbytes / ticks + (tick < numbytes % ticks ? 1 : 0)];
            Arrays.fill(piece, (byte) '*');
            tick++;
            write(piece);
            flush().whenComplete((v, e) -> {
                if (e == null) { // else the client is gone: nothing more to send
                    timer = loop().callLater(Duration.ofNanos(intervalNanos), this::tick);
                }
            });
        }

        @Override
        protected void onConnectionClose() {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /**
     * {@code /delay/{n}} with GET, POST, PUT, PATCH or DELETE: answers after n seconds (a decimal;
     * more than 10 counts as 10) with the {@code /post} shape minus "json". Future style: the
     * method returns a loop timer's future, so thousands of delays wait at once on one thread.
     * Init argument {@code gauge}: a {@link DelayGauge} that counts them.
     */
    public static final class Delay extends HttpBinHandler {
        private DelayGauge gauge;
        private CompletableFuture<Void> sleep;

        @Override
        protected void initialize(Map<String, Object> initArgs) {
            gauge = (DelayGauge) initArgs.get("gauge");
        }

        public CompletionStage<?> get(String n) {
            return delay(n);
        }

        public CompletionStage<?> post(String n) {
            return delay(n);
        }

        public CompletionStage<?> put(String n) {
            return delay(n);
        }

        public CompletionStage<?> patch(String n) {
            return delay(n);
        }

        public CompletionStage<?> delete(String n) {
            return delay(n);
        }

        private CompletionStage<?> delay(String n) {
            double seconds = Math.min(numberArg("n", n, 0, 1e9), 10);
            gauge.enter();
            sleep = Futures.sleep(loop(), Duration.ofNanos((long) (seconds * 1e9)));
            return sleep.whenComplete((v, e) -> gauge.exit()).thenRun(() -> {
                if (!isConnectionClosed()) {
                    Map<String, Object> body = RequestEcho.withBody(request(), false);
                    body.remove("json");
                    write(body);
                }
            });
        }

        @Override
        protected void onConnectionClose() {
            if (sleep != null) {
                sleep.complete(null); // stop waiting for a client that left
            }
        }
    }
}
