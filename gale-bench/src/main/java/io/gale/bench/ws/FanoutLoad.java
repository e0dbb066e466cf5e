package io.gale.bench.ws;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Load client of the fan-out benchmark ({@code gale-bench/run-fanout}): subscribers in one chat
 * room spread over several server processes, publishers posting to it, every delivery timed and
 * checked. Plain JDK NIO with its own client framing (no Gale code), so Gale's chat demo and the
 * Socket.IO peer are driven by exactly the same client.
 *
 * <pre>
 * java -cp gale-bench/target/benchmarks.jar io.gale.bench.ws.FanoutLoad --protocol gale|socketio
 *     --ports P1,P2 [--subscribers 1000] [--publishers 2] [--body 64] [--warmup 4] [--settle 1]
 *     [--duration 6] [--rates 20,60] [--window 32] [--drain 60] [--threads 2]
 * </pre>
 *
 * <p>Subscribers and publishers are spread round-robin over the ports, and over {@code --threads}
 * reading threads (a publisher's connection is
 * in the room too; what it receives is read and dropped). A message's body is
 * {@code "RUN PHASE PUBLISHER SEQ NANOS xxx…"} (RUN: this run's random id; another run's
 * messages, as a chat's history replays them, are ignored) ({@code --body} bytes), NANOS the publisher's
 * {@link System#nanoTime} (the scheduled send time in paced phases, so a late send counts as
 * delay); a subscriber's delay is its own {@code nanoTime} at parse minus NANOS (one process, one clock).
 *
 * <p>Phases, one after the other, each followed by a drain (every subscriber must receive every
 * message of the phase before the next starts: the client waits while deliveries still arrive, at
 * most {@code --drain} seconds; a delivery missing after 10 s without progress is lost):
 * <ol>
 *   <li>{@code sync}: each publisher posts every 100 ms until every subscriber received a message
 *       (the room is joined everywhere), then the client waits until no sync message arrived for
 *       1 s (nothing measured).
 *   <li>{@code warmup}: full speed for {@code --warmup} s (the JIT), not reported.
 *   <li>{@code rate-R}, one per {@code --rates} value: R messages/s in total, spread evenly over
 *       the publishers, for {@code --settle} + {@code --duration} s.
 *   <li>{@code full}: each publisher keeps {@code --window} messages in flight (posted and not yet
 *       received by every subscriber), for {@code --settle} + {@code --duration} s: the fastest
 *       rate the room sustains without losing a message.
 * </ol>
 * Deliveries/s count the deliveries received during the measured window ({@code --duration},
 * after {@code --settle}); delays are those of messages sent in it. Prints
 * {@code MEASURE_START name} / {@code MEASURE_END name} as the windows open and close (the runner
 * reads the servers' CPU time there), then one {@code PHASE name=… } line per phase and
 * {@code RESULT ok|fail …}. Any connection error, close, error reply, lost or reordered message
 * makes the exit status 1. Only loopback addresses are accepted.
 */
public final class FanoutLoad {
    /** Completion counters per publisher in window phases (must exceed the window). */
    static final int RING = 4096;
    /** After a phase, a delivery still missing after this long without any arriving is lost. */
    private static final long STALL_NANOS = 10_000_000_000L;

    /** One phase of the run; the measured window is written before the phase's first post. */
    static final class Phase {
        final String name;
        final boolean sync;
        final boolean reported;
        final double rate;
        final int window;
        final double seconds;
        final AtomicIntegerArray[] completions;
        volatile long measureFrom = Long.MAX_VALUE;
        volatile long measureTo = Long.MAX_VALUE;
        final long[] sent;

        Phase(String name, boolean sync, boolean reported, double rate, int window, double seconds, int publishers) {
            this.name = name;
            this.sync = sync;
            this.reported = reported;
            this.rate = rate;
            this.window = window;
            this.seconds = seconds;
            this.sent = new long[publishers];
            this.completions = new AtomicIntegerArray[publishers];
            for (int i = 0; i < publishers; i++) {
                completions[i] = new AtomicIntegerArray(window > 0 ? RING : 1);
            }
        }

        long sentTotal() {
            long t = 0;
            for (long s : sent) {
                t += s;
            }
            return t;
        }
    }

    /** How many subscribers have received a message of the sync phase. */
    static final class Sync {
        final AtomicInteger joined = new AtomicInteger();
    }

    private FanoutLoad() {}

    public static void main(String[] args) throws Exception {
        String protocol = "gale", host = "127.0.0.1", ports = null, rates = "20,60";
        int subscribers = 1000, publishers = 2, body = 64, window = 32, threads = 2;
        double warmup = 4, settle = 1, duration = 6, drain = 60;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--protocol" -> protocol = v;
                case "--host" -> host = v;
                case "--ports" -> ports = v;
                case "--subscribers" -> subscribers = Integer.parseInt(v);
                case "--publishers" -> publishers = Integer.parseInt(v);
                case "--body" -> body = Integer.parseInt(v);
                case "--window" -> window = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--rates" -> rates = v;
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--settle" -> settle = Double.parseDouble(v);
                case "--duration" -> duration = Double.parseDouble(v);
                case "--drain" -> drain = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (ports == null || subscribers < 1 || publishers < 1 || window < 1 || window >= RING / 2 || body < 48
                || !("gale".equals(protocol) || "socketio".equals(protocol))) {
            throw new IllegalArgumentException("usage: FanoutLoad --protocol gale|socketio --ports P1[,P2...] [options]"
                    + " (body >= 48, window < " + RING / 2 + ")");
        }
        InetAddress addr = InetAddress.getByName(host);
        if (!addr.isLoopbackAddress()) {
            throw new IllegalArgumentException("only loopback addresses are allowed");
        }
        String[] portList = ports.split(",");
        FanoutConnection.Protocol proto = "gale".equals(protocol) ? FanoutConnection.Protocol.GALE
                : FanoutConnection.Protocol.SOCKETIO;

        List<Phase> plan = new ArrayList<>();
        plan.add(new Phase("sync", true, false, 0, 0, 30, publishers));
        plan.add(new Phase("warmup", false, false, 0, window, warmup, publishers));
        for (String r : rates.split(",")) {
            if (!r.isBlank()) {
                double rate = Double.parseDouble(r.trim());
                plan.add(new Phase("rate-" + r.trim(), false, true, rate, 0, settle + duration, publishers));
            }
        }
        plan.add(new Phase("full", false, true, 0, window, settle + duration, publishers));
        Phase[] phases = plan.toArray(new Phase[0]);

        Sync sync = new Sync();
        FanoutReceiver[] receivers = new FanoutReceiver[Math.max(1, threads)];
        for (int i = 0; i < receivers.length; i++) {
            receivers[i] = new FanoutReceiver(phases, sync);
        }
        long t0 = System.nanoTime();
        // Handshakes from several threads: one after another they take 5-15 s on a loaded machine.
        FanoutConnection[] subs = new FanoutConnection[subscribers];
        String hostName = host;
        int pubCount = publishers;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<?>> pending = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                int index = i, s = i % portList.length, port = Integer.parseInt(portList[s].trim());
                pending.add(pool.submit(() -> {
                    subs[index] = connect(addr, hostName, port, proto, true, s, pubCount, index + 1);
                    return null;
                }));
            }
            for (var f : pending) {
                f.get();
            }
        }
        for (int i = 0; i < subscribers; i++) {
            receivers[i % receivers.length].add(subs[i]);
        }
        int seed = subscribers + 1;
        FanoutConnection[] pubs = new FanoutConnection[publishers];
        for (int p = 0; p < publishers; p++) {
            int s = p % portList.length;
            pubs[p] = connect(addr, host, Integer.parseInt(portList[s].trim()), proto, false, s, publishers, seed++);
            receivers[p % receivers.length].add(pubs[p]);
        }
        System.out.printf(Locale.ROOT, "CONNECTED subscribers=%d publishers=%d ms=%d%n", subscribers, publishers,
                (System.nanoTime() - t0) / 1_000_000);
        System.out.flush();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < receivers.length; i++) {
            Thread t = new Thread(receivers[i], "fanout-receiver-" + i);
            t.start();
            readers.add(t);
        }

        boolean ok = true;
        String why = "";
        byte[] pad = new byte[body];
        java.util.Arrays.fill(pad, (byte) 'x');
        long[] drainMs = new long[phases.length];
        long[] windowDeliveries = new long[phases.length];
        double[] windowSeconds = new double[phases.length];
        try {
            for (int k = 0; k < phases.length && ok; k++) {
                Phase ph = phases[k];
                if (ph.sync) {
                    if (!runSync(k, ph, pubs, receivers, sync, subscribers, proto, pad)) {
                        ok = false;
                        why = errors(receivers) > 0 ? "connection error: " + firstError(receivers)
                                : "only " + sync.joined.get() + " of " + subscribers + " subscribers got a message within 30 s";
                        break;
                    }
                } else {
                    long[] window2 = run(k, ph, pubs, receivers, subscribers, proto, pad, settle);
                    windowDeliveries[k] = window2[0];
                    windowSeconds[k] = window2[1] / 1e9;
                }
                long d0 = System.nanoTime();
                long expected = ph.sentTotal() * subscribers;
                long deadline = d0 + (long) (drain * 1e9);
                // An overloaded server drains its backlog for a while: wait as long as deliveries
                // still arrive; a message missing is one that stays missing for STALL.
                long last = -1, progressAt = d0;
                while (!ph.sync && errors(receivers) == 0) {
                    long got = delivered(receivers, k), now = System.nanoTime();
                    if (got >= expected || now > deadline || now - progressAt > STALL_NANOS) {
                        break;
                    }
                    if (got != last) {
                        last = got;
                        progressAt = now;
                    }
                    LockSupport.parkNanos(1_000_000);
                }
                drainMs[k] = (System.nanoTime() - d0) / 1_000_000;
                if (errors(receivers) > 0) {
                    ok = false;
                    why = "connection error: " + firstError(receivers);
                } else if (!ph.sync && delivered(receivers, k) != expected) {
                    ok = false;
                    why = "phase " + ph.name + ": " + delivered(receivers, k) + " of " + expected
                            + " deliveries after a " + drainMs[k] + " ms drain";
                }
            }
        } catch (IOException e) {
            ok = false;
            why = "publisher: " + e;
        }
        for (FanoutReceiver r : receivers) {
            r.stop();
        }
        for (Thread t : readers) {
            t.join(10_000);
        }
        long foreign = 0;
        for (FanoutReceiver r : receivers) {
            foreign += r.foreign;
        }
        for (int k = 0; k < phases.length; k++) {
            Phase ph = phases[k];
            if (ph.sync) {
                continue;
            }
            DelayHistogram h = new DelayHistogram();
            long gaps = 0, reorders = 0;
            for (FanoutReceiver r : receivers) {
                h.add(r.delays[k]);
                gaps += r.gaps[k];
                reorders += r.reorders[k];
            }
            long sent = ph.sentTotal();
            long expected = sent * subscribers;
            long got = delivered(receivers, k);
            if ((gaps > 0 || reorders > 0) && ok) {
                ok = false;
                why = "phase " + ph.name + ": " + gaps + " skipped, " + reorders + " out of order";
            }
            double secs = windowSeconds[k];
            System.out.printf(Locale.ROOT,
                    "PHASE name=%s reported=%b target_msgs_per_s=%.0f window=%d subscribers=%d publishers=%d "
                            + "sent=%d deliveries=%d expected=%d lost=%d gaps=%d reorders=%d measured_s=%.3f "
                            + "msgs_per_s=%.1f deliveries_per_s=%.0f samples=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d "
                            + "drain_ms=%d%n",
                    ph.name, ph.reported, ph.rate, ph.window, subscribers, publishers, sent, got, expected,
                    expected - got, gaps, reorders, secs, secs > 0 ? windowDeliveries[k] / secs / subscribers : 0,
                    secs > 0 ? windowDeliveries[k] / secs : 0, h.total(), h.percentileMicros(0.5),
                    h.percentileMicros(0.99), h.percentileMicros(0.999), h.maxMicros(), drainMs[k]);
        }
        System.out.printf(Locale.ROOT, "RESULT %s foreign=%d errors=%d%s%n", ok ? "ok" : "fail", foreign,
                errors(receivers), ok ? "" : " why=" + why.replace(' ', '_'));
        System.out.flush();
        System.exit(ok ? 0 : 1);
    }

    private static FanoutConnection connect(InetAddress addr, String host, int port, FanoutConnection.Protocol proto,
            boolean subscriber, int serverIndex, int publishers, int seed) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.connect(new InetSocketAddress(addr, port));
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        String path = proto == FanoutConnection.Protocol.GALE ? "/chatsocket" : "/socket.io/?EIO=4&transport=websocket";
        ByteBuffer early = ClientHandshake.perform(ch, ClientHandshake.request(host, port, path));
        FanoutConnection c = new FanoutConnection(ch, proto, subscriber, serverIndex, publishers, early, seed, RUN);
        if (proto == FanoutConnection.Protocol.SOCKETIO) {
            c.connectSocketIo();
        }
        return c;
    }

    /** This run's id, first in every body: the Gale chat's history may hold an earlier run's messages. */
    private static final long RUN = 1 + (System.nanoTime() & 0x7fffffffL);

    private static String message(FanoutConnection.Protocol proto, int phase, int publisher, long seq, long nanos,
            byte[] pad) {
        StringBuilder b = new StringBuilder(pad.length + 40);
        b.append(RUN).append(' ').append(phase).append(' ').append(publisher).append(' ').append(seq).append(' ').append(nanos).append(' ');
        while (b.length() < pad.length) {
            b.append('x');
        }
        return proto == FanoutConnection.Protocol.GALE ? "{\"body\":\"" + b + "\"}"
                : "42[\"message\",{\"body\":\"" + b + "\"}]";
    }

    private static void post(FanoutConnection.Protocol proto, Phase ph, int k, FanoutConnection c, int p, long nanos,
            byte[] pad) throws IOException {
        c.send(message(proto, k, p, ph.sent[p], nanos, pad));
        ph.sent[p]++;
    }

    private static boolean runSync(int k, Phase ph, FanoutConnection[] pubs, FanoutReceiver[] receivers, Sync sync,
            int subscribers, FanoutConnection.Protocol proto, byte[] pad) throws IOException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (sync.joined.get() < subscribers && System.nanoTime() < deadline && errors(receivers) == 0) {
            for (int p = 0; p < pubs.length; p++) {
                post(proto, ph, k, pubs[p], p, System.nanoTime(), pad);
            }
            LockSupport.parkNanos(100_000_000);
        }
        // The sync messages sent before the last subscriber joined are still on their way to the
        // others: wait until none has arrived for a while, so none delays the next phase.
        long last = -1, quietSince = System.nanoTime();
        while (errors(receivers) == 0 && System.nanoTime() < deadline) {
            long got = delivered(receivers, k), now = System.nanoTime();
            if (got != last) {
                last = got;
                quietSince = now;
            } else if (now - quietSince > 1_000_000_000L) {
                break;
            }
            LockSupport.parkNanos(10_000_000);
        }
        return sync.joined.get() == subscribers;
    }

    /** Runs a paced or window phase; returns {deliveries in the measured window, its length in ns}. */
    private static long[] run(int k, Phase ph, FanoutConnection[] pubs, FanoutReceiver[] receivers, int subscribers,
            FanoutConnection.Protocol proto, byte[] pad, double settle) throws IOException {
        long start = System.nanoTime();
        long end = start + (long) (ph.seconds * 1e9);
        long from = ph.reported ? start + (long) (settle * 1e9) : end;
        ph.measureFrom = from;
        ph.measureTo = end;
        boolean measuring = false;
        long countFrom = 0, at = 0;
        int n = pubs.length;
        long[] next = new long[n];
        long interval = ph.rate > 0 ? (long) (1e9 * n / ph.rate) : 0;
        for (int p = 0; p < n; p++) {
            next[p] = start + (long) (p * 1e9 / Math.max(1, ph.rate));
        }
        long[] done = new long[n];
        while (true) {
            long now = System.nanoTime();
            if (ph.reported && !measuring && now >= from) {
                measuring = true;
                countFrom = delivered(receivers, k);
                at = now;
                System.out.println("MEASURE_START " + ph.name);
                System.out.flush();
            }
            if (now >= end || errors(receivers) > 0) {
                break;
            }
            if (ph.window > 0) {
                boolean progressed = false;
                for (int p = 0; p < n; p++) {
                    AtomicIntegerArray c = ph.completions[p];
                    while (done[p] < ph.sent[p] && c.get((int) (done[p] % RING)) == subscribers) {
                        c.set((int) (done[p] % RING), 0);
                        done[p]++;
                    }
                    while (ph.sent[p] - done[p] < ph.window) {
                        post(proto, ph, k, pubs[p], p, System.nanoTime(), pad);
                        progressed = true;
                    }
                }
                if (!progressed) {
                    LockSupport.parkNanos(20_000);
                }
            } else {
                int p = 0;
                for (int q = 1; q < n; q++) {
                    if (next[q] < next[p]) {
                        p = q;
                    }
                }
                long wait = next[p] - now;
                if (wait > 0) {
                    LockSupport.parkNanos(Math.min(wait, Math.max(1, (ph.reported && !measuring ? from : end) - now)));
                    continue;
                }
                post(proto, ph, k, pubs[p], p, next[p], pad);
                next[p] += interval;
            }
        }
        long stop = System.nanoTime();
        if (measuring) {
            System.out.println("MEASURE_END " + ph.name);
            System.out.flush();
            return new long[] {delivered(receivers, k) - countFrom, stop - at};
        }
        return new long[] {0, 0};
    }

    private static long delivered(FanoutReceiver[] receivers, int k) {
        long t = 0;
        for (FanoutReceiver r : receivers) {
            t += r.deliveries.get(k);
        }
        return t;
    }

    private static long errors(FanoutReceiver[] receivers) {
        long t = 0;
        for (FanoutReceiver r : receivers) {
            t += r.errors.get(0);
        }
        return t;
    }

    private static String firstError(FanoutReceiver[] receivers) {
        for (FanoutReceiver r : receivers) {
            if (r.firstError != null) {
                return r.firstError;
            }
        }
        return "?";
    }
}
