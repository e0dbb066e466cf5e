package io.gale.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.LoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link PubSub} implementation must do, run against each one (in process, Redis,
 * NATS). "Two clients" are two PubSub instances with their own broker connections, as two
 * processes would have (in process they are the same instance: there is only one JVM's worth).
 */
@Timeout(60)
abstract class PubSubContract {
    static final Duration WAIT = Duration.ofSeconds(20);

    LoopGroup loops;
    private final List<PubSub> clients = new ArrayList<>();

    /** A new client of the implementation under test. */
    abstract PubSub createClient(PubSubLimits limits) throws Exception;

    PubSub client(PubSubLimits limits) throws Exception {
        PubSub p = createClient(limits);
        clients.add(p);
        return p;
    }

    PubSub client() throws Exception {
        return client(PubSubLimits.DEFAULTS);
    }

    @BeforeEach
    void startLoops() {
        loops = new LoopGroup(2).start();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PubSub::close);
        clients.clear();
        loops.shutdownGracefully(Duration.ofSeconds(5));
    }

    static void join(CompletableFuture<?> f) throws Exception {
        f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void twoClientsExchangeMessagesBothWays() throws Exception {
        PubSub a = client();
        PubSub b = client();
        Received atA = new Received();
        Received atB = new Received();
        Subscription sa = a.subscribe("to.a", atA::add, loops.loops().get(0));
        Subscription sb = b.subscribe("to.b", atB::add, loops.loops().get(1));
        join(sa.subscribed());
        join(sb.subscribed());

        join(a.publish("to.b", "hello b"));
        join(b.publish("to.a", "hello a".getBytes()));

        assertThat(atB.await(1, WAIT)).containsExactly("hello b");
        assertThat(atA.await(1, WAIT)).containsExactly("hello a");
        assertThat(atA.threads()).containsOnly(loopThread(loops.loops().get(0)));
        assertThat(atB.threads()).containsOnly(loopThread(loops.loops().get(1)));
        assertThat(a.stats().published()).isEqualTo(sameInstance(a, b) ? 2 : 1);
        assertThat(a.stats().delivered()).isEqualTo(sameInstance(a, b) ? 2 : 1);
        assertThat(a.stats().failedPublishes()).isZero();
    }

    @Test
    void subscribeOnTheCallersLoopByDefault() throws Exception {
        PubSub a = client();
        Received r = new Received();
        IOLoop loop = loops.loops().get(1);
        CompletableFuture<Subscription> sub = new CompletableFuture<>();
        loop.addCallback(() -> sub.complete(a.subscribe("here", r::add)));
        join(sub.get().subscribed());
        join(a.publish("here", "x"));
        r.await(1, WAIT);
        assertThat(r.threads()).containsOnly(loopThread(loop));
        assertThatThrownBy(() -> a.subscribe("here", r::add)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("needs a loop");
    }

    @Test
    void ordersMessagesPerPublisher() throws Exception {
        PubSub sub = client();
        PubSub p1 = client();
        PubSub p2 = client();
        Received r = new Received();
        join(sub.subscribe("order", r::add, loops.next()).subscribed());
        int n = 2000;
        ConcurrentLinkedQueue<CompletableFuture<Void>> all = new ConcurrentLinkedQueue<>();
        Thread t1 = Thread.ofPlatform().start(() -> IntStream.range(0, n).forEach(i -> all.add(p1.publish("order", "p1:" + i))));
        Thread t2 = Thread.ofPlatform().start(() -> IntStream.range(0, n).forEach(i -> all.add(p2.publish("order", "p2:" + i))));
        t1.join();
        t2.join();
        join(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
        List<String> got = r.await(2 * n, WAIT);
        assertThat(got).hasSize(2 * n);
        assertThat(got.stream().filter(s -> s.startsWith("p1:")).toList())
            .containsExactlyElementsOf(IntStream.range(0, n).mapToObj(i -> "p1:" + i).toList());
        assertThat(got.stream().filter(s -> s.startsWith("p2:")).toList())
            .containsExactlyElementsOf(IntStream.range(0, n).mapToObj(i -> "p2:" + i).toList());
    }

    @Test
    void slowSubscriberDropsTheOldestMessages() throws Exception {
        PubSubLimits limits = PubSubLimits.builder().subscriberQueueSize(16).build();
        PubSub a = client(limits);
        PubSub b = client(limits);
        IOLoop slowLoop = loops.loops().get(0);
        Received slow = new Received();
        Received fast = new Received();
        // The slow one first: each message is queued for it before the fast one sees it.
        Subscription s1 = a.subscribe("slow", slow::add, slowLoop);
        Subscription s2 = a.subscribe("slow", fast::add, loops.loops().get(1));
        join(s1.subscribed());
        join(s2.subscribed());

        CountDownLatch release = blockLoop(slowLoop);
        publishInStep(b, fast, 100);
        release.countDown();

        assertThat(slow.await(16, WAIT)).containsExactlyElementsOf(names(85, 100));
        join(b.publish("slow", "end"));
        assertThat(slow.await(17, WAIT)).endsWith("m100", "end").hasSize(17);
        assertThat(s1.dropped()).isEqualTo(84);
        assertThat(s2.dropped()).isZero();
        assertThat(a.stats().dropped()).isEqualTo(84);
        assertThat(s1.isActive()).isTrue();
    }

    @Test
    void slowSubscriberIsDisconnectedUnderThatPolicy() throws Exception {
        PubSubLimits limits = PubSubLimits.builder().subscriberQueueSize(16)
            .overflowPolicy(OverflowPolicy.DISCONNECT).build();
        PubSub a = client(limits);
        PubSub b = client(limits);
        IOLoop slowLoop = loops.loops().get(0);
        Received slow = new Received();
        Received fast = new Received();
        Subscription s1 = a.subscribe("slow", slow::add, slowLoop);
        Subscription s2 = a.subscribe("slow", fast::add, loops.loops().get(1));
        join(s1.subscribed());
        join(s2.subscribed());

        CountDownLatch release = blockLoop(slowLoop);
        publishInStep(b, fast, 100);
        release.countDown();

        assertThatThrownBy(() -> s1.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SubscriberOverflowException.class);
        assertThat(s1.isActive()).isFalse();
        assertThat(s1.dropped()).isEqualTo(17);
        assertThat(a.stats().dropped()).isEqualTo(17);
        assertThat(a.stats().subscriptions()).isEqualTo(1);
        // The loop has run everything queued before this: nothing reached the disconnected one.
        join(onLoop(slowLoop));
        assertThat(slow.texts()).isEmpty();
        assertThat(s2.isActive()).isTrue();
    }

    @Test
    void thousandSubscribersReceiveThousandMessagesInOrder() throws Exception {
        PubSub a = client();
        PubSub b = client();
        int subscribers = 1000;
        int perPublisher = 500;
        CountDownLatch done = new CountDownLatch(subscribers);
        AtomicInteger misordered = new AtomicInteger();
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            int[] next = new int[2];
            int[] count = new int[1];
            PubSub client = i % 2 == 0 ? a : b;
            subs.add(client.subscribe("fanout", m -> {
                byte[] p = m.payload();
                int publisher = p[0] - '0';
                int seq = Integer.parseInt(new String(p, 2, p.length - 2));
                if (seq != next[publisher]++) {
                    misordered.incrementAndGet();
                }
                if (++count[0] == 2 * perPublisher) {
                    done.countDown();
                }
            }, loops.next()));
        }
        for (Subscription s : subs) {
            join(s.subscribed());
        }
        ConcurrentLinkedQueue<CompletableFuture<Void>> sent = new ConcurrentLinkedQueue<>();
        Thread t1 = Thread.ofPlatform().start(() -> IntStream.range(0, perPublisher).forEach(i -> sent.add(a.publish("fanout", "0:" + i))));
        Thread t2 = Thread.ofPlatform().start(() -> IntStream.range(0, perPublisher).forEach(i -> sent.add(b.publish("fanout", "1:" + i))));
        t1.join();
        t2.join();
        join(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));
        assertThat(done.await(60, TimeUnit.SECONDS)).as("every subscriber got every message").isTrue();
        assertThat(misordered.get()).isZero();
        long delivered = a.stats().delivered() + (sameInstance(a, b) ? 0 : b.stats().delivered());
        assertThat(delivered).isEqualTo((long) subscribers * 2 * perPublisher);
        assertThat(a.stats().dropped() + b.stats().dropped()).isZero();
    }

    @Test
    void unsubscribedCallbacksStopWhileOthersGoOn() throws Exception {
        PubSub a = client();
        PubSub b = client();
        IOLoop loop = loops.loops().get(0);
        Received first = new Received();
        Received second = new Received();
        Subscription s1 = a.subscribe("leave", first::add, loop);
        Subscription s2 = a.subscribe("leave", second::add, loop);
        join(s1.subscribed());
        join(s2.subscribed());
        join(b.publish("leave", "1"));
        first.await(1, WAIT);
        second.await(1, WAIT);

        join(onLoop(loop, s1::unsubscribe));
        assertThat(s1.isActive()).isFalse();
        join(s1.closed());
        join(b.publish("leave", "2"));
        // Same loop, queued after s1's would-be delivery: when s2 has "2", s1 would have it too.
        assertThat(second.await(2, WAIT)).containsExactly("1", "2");
        assertThat(first.texts()).containsExactly("1");
        assertThat(a.stats().subscriptions()).isEqualTo(1);

        s2.unsubscribe();
        // The channel's last local subscriber left; subscribing again works (broker resubscribed).
        Received third = new Received();
        Subscription s3 = a.subscribe("leave", third::add, loop);
        join(s3.subscribed());
        join(b.publish("leave", "3"));
        assertThat(third.await(1, WAIT)).containsExactly("3");
    }

    @Test
    void refusesInvalidChannelsAndOversizedMessages() throws Exception {
        PubSub a = client(PubSubLimits.builder().maxMessageSize(10).build());
        for (String bad : List.of("", "a b", "a*", "a.>", ".a", "a.", "a..b", "tab\tx", "nul\0")) {
            assertThatThrownBy(() -> a.publish(bad, "x")).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.subscribe(bad, m -> { }, loops.next())).as(bad)
                .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> a.publish("x".repeat(1025), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> join(a.publish("big", "01234567890"))).hasCauseInstanceOf(PubSubException.class)
            .hasMessageContaining("maxMessageSize");
        assertThat(a.stats().failedPublishes()).isEqualTo(1);
        join(a.publish("chat.room-1_é:x/y", "0123456789"));
        assertThat(a.stats().published()).isEqualTo(1);
    }

    @Test
    void closeEndsSubscriptionsAndFailsLaterPublishes() throws Exception {
        PubSub a = createClient(PubSubLimits.DEFAULTS);
        Subscription s = a.subscribe("bye", m -> { }, loops.next());
        join(s.subscribed());
        a.close();
        join(s.closed());
        assertThat(s.isActive()).isFalse();
        assertThatThrownBy(() -> join(a.publish("bye", "x"))).hasCauseInstanceOf(PubSubException.class);
        assertThat(a.stats().failedPublishes()).isEqualTo(1);
        assertThat(a.stats().connected()).isFalse();
        assertThatThrownBy(() -> a.subscribe("bye", m -> { }, loops.next())).isInstanceOf(IllegalStateException.class);
        a.close(); // idempotent
    }

    // ------------------------------------------------------------------------------ helpers

    /**
     * Publishes m1..mN to "slow", each after the fast subscriber received the previous one, so
     * only the blocked subscriber falls behind (the fast one's queue has the same small size).
     */
    static void publishInStep(PubSub publisher, Received fast, int n) throws Exception {
        for (int i = 1; i <= n; i++) {
            join(publisher.publish("slow", "m" + i));
            fast.await(i, WAIT);
        }
    }

    static boolean sameInstance(PubSub a, PubSub b) {
        return a == b;
    }

    static List<String> names(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).toList();
    }

    static Thread loopThread(IOLoop loop) throws Exception {
        CompletableFuture<Thread> t = new CompletableFuture<>();
        loop.addCallback(() -> t.complete(Thread.currentThread()));
        return t.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Occupies {@code loop} until the returned latch is counted down; returns once it is occupied. */
    static CountDownLatch blockLoop(IOLoop loop) throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.addCallback(() -> {
            entered.countDown();
            try {
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return release;
    }

    /** Completes after {@code loop} ran everything queued before it (and {@code task}). */
    static CompletableFuture<Void> onLoop(IOLoop loop, Runnable... task) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.addCallback(() -> {
            for (Runnable r : task) {
                r.run();
            }
            loop.addCallback(() -> f.complete(null));
        });
        return f;
    }
}
