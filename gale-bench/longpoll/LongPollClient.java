import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The long-poll measurement's client: holds N waiting long polls on a chat server that speaks
 * Tornado's chat demo protocol (Gale's {@code chat} demo, Tornado's own), then posts one message
 * and times how long until every poll has its answer. One thread, one NIO selector; driven by the
 * runner ({@code gale-bench/longpoll/run}) over stdin/stdout, so the runner can measure the
 * server's memory while the polls wait.
 *
 * <p>Usage: {@code java LongPollClient.java --port P --clients N --server-pid PID [--max-pending 256]
 * [--timeout S]}
 * <ol>
 *   <li>loads {@code /} for the {@code _xsrf} cookie (sent as the cookie and the
 *       {@code X-XSRFToken} header with every POST, as the demos' scripts do), posts a first
 *       message for a cursor;
 *   <li>opens N connections (at most max-pending connects in flight) and sends on each
 *       {@code POST /a/message/updates} with that cursor; once every request is written, waits
 *       until the server is idle (its CPU time, from {@code /proc/PID/stat}, unchanged for one
 *       second: every request read and parked), and prints
 *       {@code WAITING clients=N failed=F ms=T};
 *   <li>on the line {@code post}: sends {@code POST /a/message/new} on a connection of its own and
 *       reads every answer, printing {@code ANSWERED ok=N failed=F post_ms=… first_ms=… p50_ms=…
 *       p99_ms=… last_ms=…}, times from the moment the post was written; each answer must hold
 *       the posted message's id;
 *   <li>on {@code repoll}: sends the next poll on every connection (keep-alive), cursor = the
 *       message just posted, waits for idle and prints {@code WAITING} again; on {@code close} or
 *       end of input: closes everything and prints {@code DONE}.
 * </ol>
 * Only 127.0.0.1 is contacted. Each phase is bounded by --timeout (default 120 s).
 */
public final class LongPollClient {
    private static final Pattern ID = Pattern.compile("\"id\":\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^Content-Length:\\s*(\\d+)");

    private final int port;
    private final int clients;
    private final int serverPid;
    private final int maxPending;
    private final long timeoutNanos;
    private String xsrf;
    private final Selector selector;
    private final List<Conn> conns = new ArrayList<>();

    /** One long-polling connection; used only by the selector thread. */
    private static final class Conn {
        final SocketChannel ch;
        ByteBuffer out;
        final ByteBuffer in = ByteBuffer.allocate(4096);
        int headerEnd = -1;
        int contentLength = -1;
        boolean answered;
        boolean failed;
        long answeredAt;
        String body;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }

        void reset(ByteBuffer request) {
            out = request;
            in.clear();
            headerEnd = -1;
            contentLength = -1;
            answered = false;
            body = null;
        }
    }

    private LongPollClient(String[] args) throws IOException {
        int p = 0;
        int n = 0;
        int pid = 0;
        int pending = 256;
        long timeout = 120;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> p = Integer.parseInt(args[++i]);
                case "--clients" -> n = Integer.parseInt(args[++i]);
                case "--server-pid" -> pid = Integer.parseInt(args[++i]);
                case "--max-pending" -> pending = Integer.parseInt(args[++i]);
                case "--timeout" -> timeout = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (p == 0 || n == 0 || pid == 0) {
            throw new IllegalArgumentException("--port, --clients and --server-pid are required");
        }
        port = p;
        clients = n;
        serverPid = pid;
        maxPending = pending;
        timeoutNanos = timeout * 1_000_000_000L;
        selector = Selector.open();
    }

    public static void main(String[] args) throws Exception {
        new LongPollClient(args).run();
    }

    private void run() throws Exception {
        xsrf = loadXsrfCookie();
        String cursor = idOf(blockingPost("/a/message/new", "body=" + "first"));
        connectAndPoll(cursor);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        int round = 0;
        while ((line = commands.readLine()) != null) {
            switch (line.trim()) {
                case "post" -> cursor = postAndCollect("round " + ++round);
                case "repoll" -> repoll(cursor);
                case "close" -> {
                    closeAll();
                    return;
                }
                default -> System.out.println("ERROR unknown command " + line);
            }
            System.out.flush();
        }
        closeAll();
    }

    // ------------------------------------------------------------------------------ requests

    private String headers(String path, int length) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nCookie: _xsrf=" + xsrf
                + "\r\nX-XSRFToken: " + xsrf + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + length + "\r\n\r\n";
    }

    private ByteBuffer pollRequest(String cursor) {
        String body = "cursor=" + cursor;
        return ByteBuffer.wrap((headers("/a/message/updates", body.length()) + body).getBytes(StandardCharsets.US_ASCII));
    }

    /** GET / on a plain socket; the value of its {@code _xsrf} cookie. */
    private String loadXsrfCookie() throws IOException {
        String response = exchange(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        Matcher m = Pattern.compile("(?im)^Set-Cookie: _xsrf=([^;\\r\\n]+)").matcher(response);
        if (!m.find()) {
            throw new IllegalStateException("no _xsrf cookie from GET /:\n" + response);
        }
        return m.group(1);
    }

    private String blockingPost(String path, String body) throws IOException {
        return exchange((headers(path, body.length()).replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n") + body)
                .getBytes(StandardCharsets.US_ASCII));
    }

    private String exchange(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) (timeoutNanos / 1_000_000));
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String idOf(String response) {
        Matcher m = ID.matcher(response);
        if (!m.find()) {
            throw new IllegalStateException("no message id in:\n" + response);
        }
        return m.group(1);
    }

    // ---------------------------------------------------------------------------- the polls

    private void connectAndPoll(String cursor) throws IOException {
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        int opened = 0;
        int connecting = 0;
        int written = 0;
        int failed = 0;
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        while (written + failed < clients) {
            while (opened < clients && connecting < maxPending) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Conn c = new Conn(ch);
                c.reset(pollRequest(cursor));
                conns.add(c);
                opened++;
                if (ch.connect(server)) {
                    ch.register(selector, SelectionKey.OP_WRITE, c);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, c);
                    connecting++;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("connecting took longer than the timeout: " + written + " written");
            }
            selector.select(100);
            for (SelectionKey k : selector.selectedKeys()) {
                Conn c = (Conn) k.attachment();
                try {
                    if (k.isConnectable()) {
                        c.ch.finishConnect();
                        connecting--;
                        k.interestOps(SelectionKey.OP_WRITE);
                    } else if (k.isWritable()) {
                        c.ch.write(c.out);
                        if (!c.out.hasRemaining()) {
                            k.interestOps(SelectionKey.OP_READ);
                            written++;
                        }
                    } else if (k.isReadable()) {
                        // An answer before the post: the server answered at once (an error, say).
                        read(c, k);
                        if (c.answered || c.failed) {
                            failed++;
                            c.failed = true;
                            k.interestOps(0);
                        }
                    }
                } catch (IOException e) {
                    if (k.isValid() && (k.interestOps() & SelectionKey.OP_CONNECT) != 0) {
                        connecting--;
                    }
                    c.failed = true;
                    failed++;
                    k.cancel();
                }
            }
            selector.selectedKeys().clear();
        }
        awaitIdle(deadline);
        System.out.printf(Locale.ROOT, "WAITING clients=%d failed=%d ms=%d%n", written, failed,
                (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
    }

    private void repoll(String cursor) throws IOException {
        long start = System.nanoTime();
        int failed = 0;
        for (Conn c : conns) {
            if (c.failed) {
                failed++;
                continue;
            }
            c.reset(pollRequest(cursor));
            c.ch.write(c.out);
            SelectionKey k = c.ch.keyFor(selector);
            k.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
        long deadline = start + timeoutNanos;
        // Finish writes that did not go out at once.
        while (conns.stream().anyMatch(c -> !c.failed && c.out.hasRemaining())) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("re-polling took longer than the timeout");
            }
            selector.select(100);
            for (SelectionKey k : selector.selectedKeys()) {
                Conn c = (Conn) k.attachment();
                if (k.isValid() && k.isWritable()) {
                    c.ch.write(c.out);
                    if (!c.out.hasRemaining()) {
                        k.interestOps(SelectionKey.OP_READ);
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        awaitIdle(deadline);
        System.out.printf(Locale.ROOT, "WAITING clients=%d failed=%d ms=%d%n", conns.size() - failed, failed,
                (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
    }

    /** Posts a message and reads every poll's answer; returns the message's id. */
    private String postAndCollect(String text) throws IOException {
        String body = "body=" + text.replace(' ', '+');
        SocketChannel poster = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        poster.configureBlocking(false);
        poster.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Conn post = new Conn(poster);
        post.reset(ByteBuffer.wrap((headers("/a/message/new", body.length()) + body).getBytes(StandardCharsets.US_ASCII)));
        long t0 = System.nanoTime();
        poster.write(post.out);
        if (post.out.hasRemaining()) {
            throw new IllegalStateException("the post did not fit the socket buffer");
        }
        SelectionKey postKey = poster.register(selector, SelectionKey.OP_READ, post);
        long deadline = t0 + timeoutNanos;
        int expected = (int) conns.stream().filter(c -> !c.failed).count();
        int done = 0;
        int failed = 0;
        while (done < expected || !post.answered) {
            if (System.nanoTime() - deadline > 0) {
                System.out.printf(Locale.ROOT, "TIMEOUT answered=%d of %d%n", done, expected);
                break;
            }
            selector.select(100);
            for (SelectionKey k : selector.selectedKeys()) {
                Conn c = (Conn) k.attachment();
                if (!k.isValid() || !k.isReadable()) {
                    continue;
                }
                boolean before = c.answered || c.failed;
                read(c, k);
                if (!before && (c.answered || c.failed) && c != post) {
                    done++;
                    if (c.failed) {
                        failed++;
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        postKey.cancel();
        poster.close();
        String id = idOf(post.body);
        long[] times = conns.stream().filter(c -> c.answered && !c.failed)
                .mapToLong(c -> c.answeredAt - t0).sorted().toArray();
        int wrong = 0;
        for (Conn c : conns) {
            if (c.answered && !c.failed && !c.body.contains(id)) {
                wrong++;
            }
        }
        System.out.printf(Locale.ROOT, "ANSWERED ok=%d failed=%d wrong=%d post_ms=%.1f first_ms=%.1f p50_ms=%.1f "
                        + "p99_ms=%.1f last_ms=%.1f%n", times.length, failed, wrong, ms(post.answeredAt - t0),
                ms(at(times, 0)), ms(at(times, 0.5)), ms(at(times, 0.99)), ms(at(times, 1)));
        System.out.flush();
        return id;
    }

    private static long at(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Reads what is there; marks the connection answered once a whole response arrived. */
    private void read(Conn c, SelectionKey k) {
        try {
            int n = c.ch.read(c.in);
            if (n < 0) {
                c.failed = true;
                k.cancel();
                return;
            }
        } catch (IOException e) {
            c.failed = true;
            k.cancel();
            return;
        }
        byte[] a = c.in.array();
        int len = c.in.position();
        if (c.headerEnd < 0) {
            for (int i = 3; i < len; i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    c.headerEnd = i + 1;
                    String head = new String(a, 0, c.headerEnd, StandardCharsets.ISO_8859_1);
                    Matcher m = CONTENT_LENGTH.matcher(head);
                    if (!head.startsWith("HTTP/1.1 200") || !m.find()) {
                        c.failed = true;
                        c.answered = true;
                        c.body = head;
                        return;
                    }
                    c.contentLength = Integer.parseInt(m.group(1));
                    break;
                }
            }
        }
        if (c.headerEnd >= 0 && len - c.headerEnd >= c.contentLength) {
            c.answered = true;
            c.answeredAt = System.nanoTime();
            c.body = new String(a, c.headerEnd, c.contentLength, StandardCharsets.UTF_8);
        } else if (!c.in.hasRemaining()) {
            c.failed = true; // an answer larger than the buffer: not a one-message update
            c.answered = true;
        }
    }

    /** Waits until the server's CPU time stays the same for a second (all requests parked). */
    private void awaitIdle(long deadline) throws IOException {
        long last = cpuTicks();
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < 1_000_000_000L) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the server did not become idle");
            }
            selector.select(100); // an early answer would show here; it is read in the next phase
            selector.selectedKeys().clear();
            long now = cpuTicks();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
    }

    private long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime (fields 14 and 15)
    }

    private void closeAll() throws IOException {
        for (Conn c : conns) {
            c.ch.close();
        }
        selector.close();
        System.out.println("DONE closed=" + conns.size());
        System.out.flush();
    }
}
