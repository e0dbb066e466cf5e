package io.gale.ioloop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop (Tornado's {@code IOLoop}): one platform thread driving one {@link Selector},
 * running callbacks, timers and channel readiness handlers.
 *
 * <pre>{@code
 * IOLoop loop = IOLoop.instance();          // the process-wide default loop
 * loop.callLater(Duration.ofSeconds(1), () -> System.out.println("tick"));
 * loop.start();                             // runs on this thread until stop()
 * }</pre>
 *
 * <p>Threading: everything attached to a loop (channels, streams, timers' tasks) runs on the loop
 * thread only. The thread-safe entry points are {@link #addCallback}, {@link #execute},
 * {@link #runOrSubmit}, {@link #supplyOrSubmit}, {@link #addCallbackBatched},
 * {@link #callLater}/{@link #callAt},
 * {@link Timeout#cancel()}, {@link #stop()} and {@link #addFuture}; everything else must be
 * called on the loop thread. Callbacks added from one thread run in the order they were added;
 * callbacks added while the loop runs callbacks run on the next iteration, after pending I/O, as
 * in Tornado. An exception thrown by a callback, timer or handler is logged and never stops the
 * loop.
 *
 * <p>Lifecycle: new → {@link #start()} (blocks, on the calling thread) or
 * {@link #startInBackground()} (on a new thread) → {@link #stop()} (the current iteration ends,
 * then start returns; the loop may be started again) → {@link #close()} (releases the selector;
 * final).
 */
public final class IOLoop implements Executor, AutoCloseable {
    /**
     * The logger, created on first use: SLF4J binds its provider on the first getLogger
     * (tens of ms), which a server that has logged nothing yet should not pay before its first
     * response.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(IOLoop.class);
    }
    private static final ThreadLocal<IOLoop> CURRENT = new ThreadLocal<>();
    private static final AtomicInteger ids = new AtomicInteger();
    /** Callbacks from other threads run per iteration at most this many before I/O gets a turn. */
    private static final int MAX_REMOTE_TASKS_PER_ITERATION = 4096;

    private static volatile IOLoop defaultLoop;
    private static volatile ExecutorService defaultExecutor;

    private final IOLoopOptions options;
    private final String name;
    private final Selector selector;
    private final MpscQueue<Runnable> remoteTasks = new MpscQueue<>();
    private final ArrayDeque<Runnable> localTasks = new ArrayDeque<>();
    private final TimerHeap timers = new TimerHeap();
    /**
     * False only while the loop is about to block or is blocked in select: a thread that queues
     * work flips it back and wakes the selector; everyone else skips the (costly) wake-up.
     */
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private final AtomicBoolean running = new AtomicBoolean();
    private final Consumer<SelectionKey> keyDispatcher = this::dispatchKey;

    private volatile Thread thread;
    private volatile boolean stopRequested;
    private volatile boolean closed;
    private long timerSequence; // loop thread only

    /** Start of the current busy iteration (System.nanoTime), 0 while idle; read by the watchdog. */
    volatile long busySince;
    /** The busySince value already reported by the watchdog (one report per stall). */
    volatile long reportedStall;

    /** A loop with the default options. */
    public IOLoop() {
        this(IOLoopOptions.builder().name("gale-loop-" + ids.incrementAndGet()).build());
    }

    /**
     * Creates an {@code IOLoop}.
     *
     * @param options the options
     */
    public IOLoop(IOLoopOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.name = options.name();
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for IOLoop " + name, e);
        }
    }

    // ----------------------------------------------------------------------------- static access

    /**
     * The loop of the calling thread: the loop whose thread this is, or the loop a coroutine or
     * thread was bound to with {@link #makeCurrent()}; null when there is none.
     *
     * @return the loop of the calling thread: the loop whose thread this is, or the loop a coroutine or thread was bound to with {@link #makeCurrent()}; null when there is none
     */
    public static IOLoop current() {
        return CURRENT.get();
    }

    /**
     * The process-wide default loop, created on first use and not started: the seed's
     * {@code IOLoop.instance().start()}.
     *
     * @return the process-wide default loop, created on first use and not started: the seed's {@code IOLoop.instance().start()}
     */
    public static IOLoop instance() {
        IOLoop loop = defaultLoop;
        if (loop == null) {
            synchronized (IOLoop.class) {
                loop = defaultLoop;
                if (loop == null || loop.closed) {
                    loop = new IOLoop(IOLoopOptions.builder().name("gale-main").build());
                    defaultLoop = loop;
                }
            }
        }
        return loop;
    }

    /** Binds this loop to the calling thread, so that {@link #current()} returns it there. */
    public void makeCurrent() {
        CURRENT.set(this);
    }

    /** Removes the calling thread's binding made by {@link #makeCurrent()}. */
    public static void clearCurrent() {
        CURRENT.remove();
    }

    // --------------------------------------------------------------------------------- queries

    /**
     * The name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The options.
     *
     * @return the options
     */
    public IOLoopOptions options() {
        return options;
    }

    /**
     * The loop's monotonic clock in nanoseconds ({@link System#nanoTime()}); timers use it.
     *
     * @return the loop's monotonic clock in nanoseconds ({@link System#nanoTime()}); timers use it
     */
    public long time() {
        return System.nanoTime();
    }

    /**
     * True when called on this loop's thread.
     *
     * @return true when called on this loop's thread
     */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Whether it is running.
     *
     * @return whether it is running
     */
    public boolean isRunning() {
        return running.get();
    }

    /**
     * Whether it is closed.
     *
     * @return whether it is closed
     */
    public boolean isClosed() {
        return closed;
    }

    /** The loop thread while running, else null. */
    Thread thread() {
        return thread;
    }

    /** Number of pending timers (for tests and metrics; loop thread). */
    int pendingTimers() {
        return timers.size();
    }

    @Override
    public String toString() {
        return "IOLoop[" + name + (running.get() ? ", running" : "") + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------- callbacks

    /**
     * Runs {@code callback} on the loop thread on a later iteration. Safe from any thread; FIFO per
     * submitting thread. The loop is woken only if it may be sleeping.
     *
     * @param callback the callback
     */
    public void addCallback(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        if (Thread.currentThread() == thread) {
            localTasks.add(callback);
        } else {
            remoteTasks.offer(callback);
            wakeUp();
        }
    }

    /**
     * {@link #addCallback} for a virtual thread's last word, such as the end of its response: the
     * callback is queued at once, but before waking a sleeping loop the calling virtual thread
     * yields ({@link Thread#yield()}), so that the virtual threads its scheduler already has ready
     * queue their own callbacks first, and it wakes the loop afterwards only if callbacks are
     * still waiting. Responses finished together then cost the loop one wake-up (one
     * {@code eventfd} write, one thread switch) instead of one each. The callback may run at any
     * time from the call on: the loop takes it whenever it is awake anyway. The price is a
     * virtual-thread yield and the latency of the virtual threads run in between. Called on the
     * loop thread or on a platform thread this is {@link #addCallback}.
     *
     * @param callback the callback
     */
    public void addCallbackBatched(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        Thread current = Thread.currentThread();
        if (current == thread) {
            localTasks.add(callback);
            return;
        }
        if (!current.isVirtual()) {
            remoteTasks.offer(callback);
            wakeUp();
            return;
        }
        BatchedCallback task = new BatchedCallback(callback);
        remoteTasks.offer(task);
        try {
            Thread.yield();
        } finally {
            // Queued, then `ran` and `awake` read: the order of the loop's sleep protocol (see
            // select), so a callback still queued is never left behind a sleeping loop, and one
            // the loop already ran costs no second wake-up.
            if (!task.ran) {
                wakeUp();
            }
        }
    }

    /** A callback of {@link #addCallbackBatched}, which tells its producer whether it ran. */
    private static final class BatchedCallback implements Runnable {
        private final Runnable callback;
        volatile boolean ran;

        BatchedCallback(Runnable callback) {
            this.callback = callback;
        }

        @Override
        public void run() {
            ran = true;
            callback.run();
        }

        @Override
        public String toString() {
            return callback.toString();
        }
    }

    /**
     * Runs {@code task} now when called on this loop's thread, else hands it to the loop as
     * {@link #addCallback} does (Netty's {@code inEventLoop() ? run : execute}): the one home of
     * "run it on the loop, at once if we are there". Safe from any thread. On the loop the task
     * runs before callbacks queued earlier, which is the point (no iteration's delay); an exception
     * it throws then reaches the caller.
     *
     * @param task the task
     */
    public void runOrSubmit(Runnable task) {
        if (Thread.currentThread() == thread) {
            task.run();
        } else {
            addCallback(Objects.requireNonNull(task, "task"));
        }
    }

    /**
     * {@link #runOrSubmit} for work that answers with a stage: runs {@code work} on this loop (now
     * when called on it) and returns a future that completes as the stage it returns does. On the
     * loop the returned future is that stage itself when it is a {@link CompletableFuture} (nothing
     * allocated on the hot path). An exception thrown by {@code work} fails the future instead of
     * reaching the caller, on the loop or not, so the caller handles one failure path; an
     * {@link Error} off the loop fails the future too (and is logged as a callback's would be), on
     * the loop it reaches the caller.
     *
     * @param <T> the type of the values
     * @param work the work
     * @return a future of the value
     */
    public <T> CompletableFuture<T> supplyOrSubmit(Supplier<? extends CompletionStage<T>> work) {
        Objects.requireNonNull(work, "work");
        if (Thread.currentThread() == thread) {
            try {
                return asFuture(work.get());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        addCallback(() -> {
            CompletionStage<T> stage;
            try {
                stage = work.get();
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            } catch (Error e) {
                // the caller waits on the future: fail it, then let the loop log the error as any callback's
                result.completeExceptionally(e);
                throw e;
            }
            stage.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            });
        });
        return result;
    }

    @SuppressWarnings("unchecked")
    private static <T> CompletableFuture<T> asFuture(CompletionStage<T> stage) {
        return stage instanceof CompletableFuture<?> f ? (CompletableFuture<T>) f : stage.toCompletableFuture();
    }

    /** Same as {@link #addCallback}: lets a loop be used wherever an {@link Executor} is wanted. */
    @Override
    public void execute(Runnable command) {
        addCallback(command);
    }

    /**
     * Runs {@code callback} on the loop when {@code future} completes, with its value or its
     * failure (unwrapped from {@link CompletionException}). Safe from any thread.
     *
     * @param <T> the type of the values
     * @param future the future
     * @param callback the callback
     */
    public <T> void addFuture(
            CompletionStage<T> future, BiConsumer<? super T, ? super Throwable> callback) {
        Objects.requireNonNull(callback, "callback");
        future.whenComplete((value, error) -> addCallback(() -> callback.accept(value, unwrap(error))));
    }

    private void wakeUp() {
        if (!awake.get() && awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    // ---------------------------------------------------------------------------------- timers

    /**
     * Runs {@code callback} on the loop after {@code delay}; never earlier. Safe from any thread.
     *
     * @param delay the delay
     * @param callback the callback
     * @return the timeout handle
     */
    public Timeout callLater(Duration delay, Runnable callback) {
        return callAt(time() + Math.max(0, delay.toNanos()), callback);
    }

    /**
     * Runs {@code callback} on the loop after {@code delay} in {@code unit}. Safe from any thread.
     *
     * @param delay the delay
     * @param unit the unit of {@code delay}
     * @param callback the callback
     * @return the timeout handle
     */
    public Timeout callLater(long delay, TimeUnit unit, Runnable callback) {
        return callAt(time() + Math.max(0, unit.toNanos(delay)), callback);
    }

    /**
     * Runs {@code callback} on the loop at {@code deadline} on the {@link #time()} clock; never
     * earlier. Timers with equal deadlines run in the order they were added. Safe from any thread.
     *
     * @param deadline the deadline
     * @param callback the callback
     * @return the timeout handle
     */
    public Timeout callAt(long deadline, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        Timeout t = new Timeout(this, deadline, callback);
        if (Thread.currentThread() == thread) {
            addTimer(t);
        } else {
            // The heap is loop-confined: insert on the loop. The sequence is taken there, so
            // timers with equal deadlines run in the order the loop received them.
            addCallback(() -> {
                if (t.isPending()) {
                    addTimer(t);
                }
            });
        }
        return t;
    }

    private void addTimer(Timeout t) {
        t.sequence = timerSequence++;
        timers.add(t);
    }

    /** Called by {@link Timeout#cancel()} after it won the race against running. */
    void timerCancelled(Timeout t) {
        if (Thread.currentThread() == thread) {
            timers.remove(t);
        } else {
            // Through the callback queue, so that it is ordered with the canceller's callbacks.
            addCallback(() -> timers.remove(t));
        }
    }

    // ------------------------------------------------------------------------------- channels

    /**
     * Registers a non-blocking channel (Tornado's {@code add_handler}); {@code handler} runs on the
     * loop thread whenever one of the {@code interestOps} is ready. Loop thread only.
     *
     * @param channel the channel
     * @param interestOps the interest ops
     * @param handler the request handler
     * @return the channel registration
     */
    public ChannelRegistration register(SelectableChannel channel, int interestOps, IOHandler handler) {
        checkInLoop("register");
        Objects.requireNonNull(handler, "handler");
        try {
            if (channel.isBlocking()) {
                channel.configureBlocking(false);
            }
            SelectionKey key = channel.register(selector, interestOps);
            ChannelRegistration reg = new ChannelRegistration(this, key, handler, interestOps);
            key.attach(reg);
            return reg;
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("channel is closed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void dispatchKey(SelectionKey key) {
        // Handlers run inside select(): the iteration is busy from the first ready key on, so
        // the watchdog sees a handler that blocks (most application code runs here).
        if (busySince == 0) {
            busySince = System.nanoTime();
        }
        ChannelRegistration reg = (ChannelRegistration) key.attachment();
        int ready;
        try {
            ready = key.readyOps();
        } catch (CancelledKeyException e) {
            return;
        }
        try {
            reg.dispatch(ready);
        } catch (Throwable t) {
            Log.LOG.error("Exception in I/O handler {} on {}", reg.handler(), name, t);
        }
    }

    // ---------------------------------------------------------------------- blocking work helpers

    /**
     * Runs blocking {@code task} on {@code executor} (null: the default executor, a bounded pool of
     * daemon threads, five per core as in Tornado) and completes the returned future on this loop.
     *
     * @param <T> the type of the values
     * @param executor the executor
     * @param task the task
     * @return a future of the value
     */
    public <T> CompletableFuture<T> runInExecutor(Executor executor, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Executor ex = executor != null ? executor : defaultExecutor();
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            ex.execute(() -> {
                T value;
                try {
                    value = task.call();
                } catch (Throwable t) {
                    addCallback(() -> result.completeExceptionally(t));
                    return;
                }
                addCallback(() -> result.complete(value));
            });
        } catch (RuntimeException rejected) {
            addCallback(() -> result.completeExceptionally(rejected));
        }
        return result;
    }

    /**
     * The default executor of {@link #runInExecutor}.
     *
     * @return the default executor of {@link #runInExecutor}
     */
    public static ExecutorService defaultExecutor() {
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            synchronized (IOLoop.class) {
                ex = defaultExecutor;
                if (ex == null) {
                    int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 5);
                    AtomicInteger n = new AtomicInteger();
                    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(),
                            r -> Thread.ofPlatform().daemon().name("gale-executor-" + n.incrementAndGet()).unstarted(r));
                    pool.allowCoreThreadTimeOut(true);
                    defaultExecutor = ex = pool;
                }
            }
        }
        return ex;
    }

    /**
     * Starts the loop on this thread, runs {@code func}'s future to completion, stops the loop and
     * returns the result (Tornado's {@code run_sync}). A failure of the future is rethrown as it is
     * (original type and stack).
     *
     * @param <T> the type of the values
     * @param func the function
     * @param timeout null for no timeout
     * @return the started value
     * @throws TimeoutException naming the timeout, if the future did not complete in time
     * @throws IllegalStateException if the loop is already running, or was stopped before the
     *     future completed
     */
    public <T> T runSync(Supplier<? extends CompletionStage<T>> func, Duration timeout) throws TimeoutException {
        Objects.requireNonNull(func, "func");
        if (running.get()) {
            throw new IllegalStateException("IOLoop " + name + " is already running");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        addCallback(() -> {
            try {
                CompletionStage<T> stage = func.get();
                if (stage == null) {
                    result.completeExceptionally(new IllegalStateException("runSync function returned null"));
                } else {
                    stage.whenComplete((v, e) -> {
                        if (e != null) {
                            result.completeExceptionally(unwrap(e));
                        } else {
                            result.complete(v);
                        }
                    });
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        // Stop from the loop thread once the result is in (the future may complete elsewhere).
        result.whenComplete((v, e) -> addCallback(this::stop));
        boolean[] timedOut = new boolean[1];
        Timeout timer = timeout == null ? null : callLater(timeout, () -> {
            timedOut[0] = true;
            stop();
        });
        start();
        if (timer != null) {
            timer.cancel();
        }
        if (!result.isDone()) {
            if (timedOut[0]) {
                throw new TimeoutException("Operation timed out after " + timeout);
            }
            throw new IllegalStateException("IOLoop " + name + " was stopped before the future completed");
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw sneakyThrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ------------------------------------------------------------------------------- lifecycle

    /**
     * Runs the loop on the calling thread until {@link #stop()} (Tornado's {@code start()}).
     *
     * @throws IllegalStateException if the loop is already running or closed
     */
    public void start() {
        if (closed) {
            throw new IllegalStateException("IOLoop " + name + " is closed");
        }
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("IOLoop " + name + " is already running");
        }
        IOLoop previous = CURRENT.get();
        thread = Thread.currentThread();
        CURRENT.set(this);
        if (options.watchdogEnabled()) {
            Watchdog.watch(this);
        }
        try {
            run();
        } finally {
            if (options.watchdogEnabled()) {
                Watchdog.unwatch(this);
            }
            busySince = 0;
            stopRequested = false;
            thread = null;
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
            running.set(false);
            if (closePending) {
                closeNow();
            }
        }
    }

    /**
     * Starts the loop on a new platform thread named after the loop and returns at once.
     *
     * @return the loop thread
     */
    public Thread startInBackground() {
        if (closed) {
            throw new IllegalStateException("IOLoop " + name + " is closed");
        }
        Thread t = Thread.ofPlatform().name(name).daemon(options.daemon()).unstarted(() -> {
            // close() may win the race against the new thread: then there is nothing to run.
            if (!closed) {
                try {
                    start();
                } catch (IllegalStateException e) {
                    if (!closed) {
                        throw e;
                    }
                }
            }
        });
        t.start();
        return t;
    }

    /**
     * Asks the loop to stop: the current iteration finishes, then {@link #start()} returns. Safe
     * from any thread. Callbacks still queued stay queued for the next start.
     */
    public void stop() {
        stopRequested = true;
        if (Thread.currentThread() != thread) {
            awake.set(true);
            selector.wakeup();
        }
    }

    private volatile boolean closePending;

    /**
     * Closes the loop: stops it if running and releases its selector (Tornado's {@code close()}).
     * Registered channels are not closed; their owners close them. Safe from any thread; the loop
     * cannot be started again.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (running.get()) {
            closePending = true;
            stop();
            if (running.get()) {
                return; // the loop thread closes on its way out
            }
        }
        closeNow();
    }

    private synchronized void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            selector.close();
        } catch (IOException e) {
            Log.LOG.debug("closing selector of {}", name, e);
        }
    }

    // ------------------------------------------------------------------------------ the loop

    private void run() {
        Selector sel = selector;
        while (!stopRequested && !closed) {
            try {
                select(sel);
            } catch (java.nio.channels.ClosedSelectorException e) {
                break; // closed while starting: nothing more can run here
            } catch (IOException e) {
                Log.LOG.error("select failed on {}", name, e);
            } catch (Throwable t) {
                Log.LOG.error("Exception in I/O dispatch on {}", name, t);
            }
            if (busySince == 0) {
                busySince = System.nanoTime();
            }
            runTimers();
            runTasks();
            busySince = 0;
        }
    }

    private void select(Selector sel) throws IOException {
        if (!localTasks.isEmpty() || !remoteTasks.isEmpty()) {
            sel.selectNow(keyDispatcher);
            return;
        }
        long timeoutNanos = -1; // -1: no timer, wait for I/O or a wake-up
        Timeout next = timers.peek();
        if (next != null) {
            timeoutNanos = next.deadline - System.nanoTime();
            if (timeoutNanos <= 0) {
                sel.selectNow(keyDispatcher);
                return;
            }
        }
        awake.set(false);
        // Re-check after announcing sleep: a producer that queued before seeing awake == false
        // did not wake us (the two volatile accesses on each side order this, as in Dekker's).
        if (!remoteTasks.isEmpty() || stopRequested) {
            awake.set(true);
            sel.selectNow(keyDispatcher);
            return;
        }
        if (timeoutNanos < 0) {
            sel.select(keyDispatcher);
        } else {
            // Round up: a timer must never fire early.
            long millis = (timeoutNanos + 999_999) / 1_000_000;
            sel.select(keyDispatcher, millis);
        }
        awake.set(true);
    }

    private void runTimers() {
        if (timers.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        Timeout t;
        while ((t = timers.peek()) != null && t.deadline - now <= 0) {
            timers.poll();
            Runnable task = t.task;
            if (task == null || !t.markDone()) {
                continue;
            }
            t.task = null;
            runTask(task);
        }
    }

    private void runTasks() {
        // Only what was queued before this point runs now; what these tasks add waits for the
        // next iteration, so a callback that re-adds itself cannot starve I/O.
        int n = localTasks.size();
        for (int i = 0; i < n; i++) {
            runTask(localTasks.poll());
        }
        for (int i = 0; i < MAX_REMOTE_TASKS_PER_ITERATION; i++) {
            Runnable r = remoteTasks.poll();
            if (r == null) {
                break;
            }
            runTask(r);
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            Log.LOG.error("Exception in callback {} on {}", task, name, t);
        }
    }

    private void checkInLoop(String what) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException(what + " must be called on the loop thread of " + name
                    + " (use addCallback to get there)");
        }
    }

    /**
     * {@code Futures.unwrap}'s rule for this package alone: io.gale.ioloop is the bottom layer and
     * does not use io.gale.concurrent (whose {@code Futures} binds SLF4J when first loaded, which
     * {@link #addFuture} on the serving path must not cause).
     */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}
