package io.gale.autoreload;

import io.gale.internal.autoreload.LinkChannel;
import io.gale.internal.autoreload.LinkMessage;
import io.gale.net.NetUtil;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor process of dev mode: owns the application's public sockets, runs the
 * application in a child JVM, and replaces the child when watched files change.
 *
 * <p>A restart: the changed files are noticed ({@link FileWatcher}); a new child starts while
 * the old one keeps serving; the new child loads the changed classes first, then runs
 * {@code main}; its first listening socket switches new connections to it
 * ({@link PublicListener#route}); then the old child is told to stop ({@code STOP}), drains
 * what it has in flight and exits. If the new child fails before it listens (a class that
 * cannot be loaded, an exception in {@code main}, no listen within the start timeout) it is
 * reported and the old child keeps serving until the next change.
 *
 * <p>Which changes restart: any file under the watched roots except hidden ones, editor backups
 * ({@code ~}, {@code .swp}, {@code .tmp}) and files under a path a child declared live (the
 * template and static directories its application re-reads by itself in debug mode). A batch of deletions alone restarts nothing: a
 * clean build deletes first and writes later, and restarting in between could only fail.
 *
 * <p>Source roots ({@link AutoreloadOptions#sources()}): a changed {@code .java} file restarts
 * nothing itself; {@link SourceCompiler} compiles it on a thread of its own, and the class files
 * it writes are a change like any build's, held until the compile is over and the watcher has
 * reported them (the quiet period and a margin) so that one compile makes one restart, timed from
 * the edit. A compile error is printed; nothing restarts.
 *
 * <p>Threading: one thread (the caller of {@link #run}) owns all state and handles events from
 * a queue: file batches, link messages, child exits, compile results and timers, each posted by
 * its own thread.
 */
final class Supervisor {
    /** After a new child's first socket, how long to wait for the rest before stopping the old one. */
    private static final Duration SETTLE = Duration.ofSeconds(2);
    /** After a STOP, how much longer than the drain time a child may take before it is killed. */
    private static final Duration KILL_MARGIN = Duration.ofSeconds(2);
    /** After a compile, how much longer than the quiet period its class files may take to be reported. */
    private static final Duration SETTLE_MARGIN = Duration.ofMillis(150);

    /**
     * Identifies a public socket across children: the address and port the application asked
     * for, and which of several equal requests of one child it was.
     *
     * @param address the requested address, "" for all interfaces
     * @param port the requested port (0: the supervisor's ephemeral port, kept for all children)
     * @param occurrence 0 for the first such request of a child, 1 for the second...
     */
    record ListenKey(String address, int port, int occurrence) {
    }

    private sealed interface Event {
    }

    private record Changed(FileWatcher.Batch batch) implements Event {
    }

    private record Connected(int childId, LinkChannel link) implements Event {
    }

    private record Message(int childId, LinkMessage message) implements Event {
    }

    private record Exited(Child child, int status) implements Event {
    }

    private record StartTimedOut(Child child) implements Event {
    }

    private record StopOld(Child child) implements Event {
    }

    private record Kill(Child child) implements Event {
    }

    private record Compiled(String names, int changed, SourceCompiler.Result result, long ms) implements Event {
    }

    private record Settled(long generation) implements Event {
    }

    private final ChildCommand command;
    private final AutoreloadOptions options;
    /** The class path's directories (class names are relative to them). */
    private final List<Path> classRoots;
    private final List<Path> roots;
    /** Compiles the source roots' changes; null without source roots. */
    private final SourceCompiler compiler;
    /** Runs the compiles, one at a time, off the event thread. */
    private final java.util.concurrent.ExecutorService compiles;
    private final PrintStream log;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gale-autoreload-timer");
        t.setDaemon(true);
        return t;
    });
    private final Map<ListenKey, PublicListener> listeners = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, Child> children = new HashMap<>();
    private final List<Child> alive = new CopyOnWriteArrayList<>();
    private final Set<Path> livePaths = new LinkedHashSet<>();
    /** Classes changed since the serving child started. */
    private final Set<String> changedClasses = new LinkedHashSet<>();
    private FileWatcher watcher;
    private Path linkDir;
    private Path linkSocket;
    private ServerSocketChannel linkServer;
    private int nextId = 1;
    private Child serving;
    private Child starting;
    private String lastFailure;
    /** Compiles queued or running. */
    private int compiling;
    /** Whether a settle timer runs after the last compile, and which one counts (older ones are stale). */
    private boolean settling;
    private long settleGeneration;
    /** Changes held while compiling and settling, and when the first of them (or the edit) was seen. */
    private final List<FileIndex.Change> deferred = new ArrayList<>();
    private long deferredSince;
    /** Whether javac's warm-up was queued (once, when the first version serves). */
    private boolean warmedUp;
    private volatile boolean shuttingDown;

    /**
     * @param command the children's command (its main class and arguments)
     * @param options the options
     * @param log where the supervisor's lines go ({@code [autoreload] ...})
     */
    Supervisor(ChildCommand command, AutoreloadOptions options, PrintStream log) {
        this.command = command;
        this.options = options;
        this.log = log;
        List<Path> cp = new ArrayList<>();
        for (String entry : command.classPath().split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isDirectory(Path.of(entry))) {
                cp.add(Path.of(entry).toAbsolutePath().normalize());
            }
        }
        this.classRoots = List.copyOf(cp);
        List<Path> all = new ArrayList<>(options.watchClassPath() ? cp : List.of());
        options.watch().forEach(p -> all.add(p.toAbsolutePath().normalize()));
        List<Path> sources = options.sources().stream().map(p -> p.toAbsolutePath().normalize()).toList();
        all.addAll(sources);
        this.roots = List.copyOf(all);
        if (sources.isEmpty()) {
            this.compiler = null;
            this.compiles = null;
        } else {
            this.compiler = new SourceCompiler(sources, classRoots, command.classPath());
            this.compiles = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "gale-autoreload-javac");
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** Runs until {@link #shutdown()}; never returns normally before it. */
    void run() throws IOException, InterruptedException {
        openLink();
        watcher = FileWatcher.create(options, roots, b -> events.add(new Changed(b)));
        try {
            watcher.start();
        } catch (IOException e) {
            say("cannot use the WatchService (" + e.getMessage() + "); polling instead");
            watcher = new PollingWatcher(roots, options.pollInterval(), options.quietPeriod(), b -> events.add(new Changed(b)));
            watcher.start();
        }
        say("supervising " + command.mainClass() + "; watching " + (roots.isEmpty() ? "nothing" : roots) + " by "
                + watcher.describe());
        startChild(System.nanoTime(), List.of());
        while (!shuttingDown) {
            Event e = events.poll(1, TimeUnit.SECONDS);
            if (e != null && !shuttingDown) {
                handle(e);
            }
        }
    }

    private void handle(Event e) {
        switch (e) {
            case Changed c -> changed(c.batch());
            case Compiled c -> compiled(c);
            case Settled x -> settled(x);
            case Connected c -> connected(c.childId(), c.link());
            case Message m -> message(m.childId(), m.message());
            case Exited x -> exited(x.child(), x.status());
            case StartTimedOut t -> {
                if (t.child() == starting) {
                    t.child().killedBecause = "it did not listen within " + options.startTimeout().toSeconds() + " s";
                    t.child().process.destroyForcibly();
                }
            }
            case StopOld s -> stop(s.child());
            case Kill k -> {
                if (k.child().process.isAlive()) {
                    say(k.child() + " did not exit after draining; killing it");
                    k.child().process.destroyForcibly();
                }
            }
        }
    }

    // ------------------------------------------------------------------ changes

    private void changed(FileWatcher.Batch batch) {
        List<FileIndex.Change> relevant = new ArrayList<>();
        Set<Path> sources = new LinkedHashSet<>();
        for (FileIndex.Change c : batch.changes()) {
            if (compiler != null && compiler.underRoots(c.path())) {
                // sources restart nothing themselves: their class files will
                if (compiler.isSource(c.path()) && c.kind() != FileIndex.Kind.DELETED) {
                    sources.add(c.path());
                }
            } else if (restarts(c.path())) {
                relevant.add(c);
            }
        }
        if (!sources.isEmpty()) {
            compile(sources, batch.firstSeen());
        }
        if (compiling > 0 || settling) {
            // the compile's class files arrive over several batches: one restart for all of them
            deferred.addAll(relevant);
            return;
        }
        restartFor(relevant, batch.firstSeen());
    }

    /** Restarts for {@code relevant} changes first seen at {@code firstSeen} ({@link System#nanoTime}). */
    private void restartFor(List<FileIndex.Change> relevant, long firstSeen) {
        if (relevant.isEmpty()) {
            return;
        }
        if (relevant.stream().allMatch(c -> c.kind() == FileIndex.Kind.DELETED)) {
            say(summary(relevant) + " deleted; waiting for new files before restarting");
            return;
        }
        for (FileIndex.Change c : relevant) {
            String name = className(c.path());
            if (name != null && c.kind() != FileIndex.Kind.DELETED) {
                changedClasses.add(name);
            }
        }
        if (starting != null) {
            starting.killedBecause = "newer changes arrived";
            starting.process.destroyForcibly();
            starting = null;
        }
        say(summary(relevant) + " changed: starting version " + nextId);
        startChild(firstSeen, List.copyOf(changedClasses));
    }

    /**
     * Compiles changed sources on the compile thread. Success writes class files, which the
     * watcher reports as any other change; an error is printed and nothing restarts.
     */
    private void compile(Set<Path> sources, long firstSeen) {
        String names = sources.size() == 1 ? sources.iterator().next().getFileName().toString() : sources.size() + " files";
        compiling++;
        deferredSince = deferred.isEmpty() && !settling && compiling == 1 ? firstSeen : Math.min(deferredSince, firstSeen);
        compiles.execute(() -> {
            long start = System.nanoTime();
            SourceCompiler.Result r = compiler.compile(sources);
            events.add(new Compiled(names, sources.size(), r, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
        });
    }

    private void compiled(Compiled c) {
        compiling--;
        if (compiling == 0) {
            // javac has written everything; the watcher reports it within its quiet period
            settling = true;
            long generation = ++settleGeneration;
            timers.schedule(() -> events.add(new Settled(generation)),
                    options.quietPeriod().toMillis() + SETTLE_MARGIN.toMillis(), TimeUnit.MILLISECONDS);
        }
        SourceCompiler.Result r = c.result();
        if (r.ok()) {
            int users = r.files() - c.changed();
            say("compiled " + c.names() + (users > 0 ? " and " + users + (users == 1 ? " file" : " files") + " using it" : "")
                    + " in " + c.ms() + " ms" + (r.output().isEmpty() ? "" : ":\n" + r.output()));
        } else {
            say("compile failed (" + c.names() + "); " + (serving != null ? serving + " keeps serving" : "nothing serves")
                    + ". Waiting for the next change:\n" + r.output());
        }
    }

    /** The last compile's class files have been reported: restart once for all of them. */
    private void settled(Settled e) {
        if (e.generation() != settleGeneration || compiling > 0) {
            return; // a newer compile started meanwhile
        }
        settling = false;
        List<FileIndex.Change> changes = List.copyOf(deferred);
        deferred.clear();
        restartFor(changes, deferredSince);
    }

    /** Whether a change of {@code path} restarts the application (see the class comment). */
    boolean restarts(Path path) {
        String name = path.getFileName().toString();
        if (name.endsWith("~") || name.endsWith(".swp") || name.endsWith(".swx") || name.endsWith(".tmp")) {
            return false;
        }
        for (Path live : livePaths) {
            if (path.startsWith(live)) {
                return false;
            }
        }
        return true;
    }

    /** The binary name of a class file under a class path root, else null. */
    String className(Path path) {
        String file = path.getFileName().toString();
        if (!file.endsWith(".class") || file.equals("module-info.class") || file.equals("package-info.class")) {
            return null;
        }
        for (Path root : classRoots) {
            if (path.startsWith(root)) {
                Path rel = root.relativize(path);
                if (rel.startsWith("META-INF")) {
                    return null;
                }
                String s = rel.toString().replace(java.io.File.separatorChar, '.');
                return s.substring(0, s.length() - ".class".length());
            }
        }
        return null;
    }

    private static String summary(List<FileIndex.Change> changes) {
        List<Path> files = changes.stream().map(FileIndex.Change::path).distinct().toList();
        StringBuilder b = new StringBuilder().append(files.size()).append(files.size() == 1 ? " file (" : " files (");
        for (int i = 0; i < files.size() && i < 3; i++) {
            b.append(i == 0 ? "" : ", ").append(files.get(i).getFileName());
        }
        return b.append(files.size() > 3 ? ", ...)" : ")").toString();
    }

    // ------------------------------------------------------------------ children

    private void startChild(long changeNanos, List<String> toCheck) {
        int id = nextId++;
        List<String> cmd = command.command(linkSocket, id, options.childJvmOptions());
        Process p;
        try {
            p = new ProcessBuilder(cmd).inheritIO().start();
        } catch (IOException e) {
            failed("cannot start " + cmd.get(0) + ": " + e.getMessage());
            return;
        }
        Child child = new Child(id, p, changeNanos, toCheck);
        children.put(id, child);
        alive.add(child);
        starting = child;
        if (serving == null) {
            listeners.values().forEach(PublicListener::hold);
        }
        p.onExit().thenAccept(done -> events.add(new Exited(child, done.exitValue())));
        timers.schedule(() -> events.add(new StartTimedOut(child)), options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connected(int id, LinkChannel link) {
        Child child = children.get(id);
        if (child == null || child.state == Child.State.GONE) {
            link.close();
            return;
        }
        child.connected(link);
        List<String> check = child.toCheck;
        child.send(LinkMessage.of(LinkMessage.CHECK, check.toArray(String[]::new)));
    }

    private void message(int id, LinkMessage m) {
        Child child = children.get(id);
        if (child == null) {
            return;
        }
        try {
            switch (m.type()) {
                case LinkMessage.CHECK_OK -> { }
                case LinkMessage.CHECK_FAILED -> child.failure = m.field(0);
                case LinkMessage.BIND -> bind(child, m);
                case LinkMessage.LIVE -> livePaths.add(Path.of(m.field(0)));
                case LinkMessage.WATCH -> watcher.addRoot(Path.of(m.field(0)));
                default -> say("unexpected message from " + child + ": " + m.type());
            }
        } catch (RuntimeException e) {
            say("bad message from " + child + " (" + m.type() + "): " + e.getMessage());
        }
    }

    private void bind(Child child, LinkMessage m) {
        String requestId = m.field(0);
        String address = m.field(1);
        int port = Integer.parseInt(m.field(2));
        int internalPort = Integer.parseInt(m.field(3));
        if (child.state != Child.State.STARTING && child.state != Child.State.SERVING) {
            child.send(LinkMessage.of(LinkMessage.BIND_FAILED, requestId, "a newer version of the application serves"));
            return;
        }
        int occurrence = 0;
        while (child.bound.containsKey(new ListenKey(address, port, occurrence))) {
            occurrence++;
        }
        ListenKey key = new ListenKey(address, port, occurrence);
        PublicListener listener = listeners.get(key);
        if (listener == null) {
            try {
                listener = new PublicListener(NetUtil.bindSockets(port, address.isEmpty() ? null : address, 0, false),
                        options.holdTimeout());
                listener.start();
            } catch (IOException | RuntimeException e) {
                String reason = e instanceof BindException ? "port " + port + " is already in use: " + e.getMessage()
                        : "cannot listen on " + (address.isEmpty() ? "*" : address) + ":" + port + ": " + e.getMessage();
                child.send(LinkMessage.of(LinkMessage.BIND_FAILED, requestId, reason));
                return;
            }
            listeners.put(key, listener);
        }
        InetSocketAddress internal = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), internalPort);
        child.bound.put(key, internal);
        listener.route(internal);
        List<String> answer = new ArrayList<>();
        answer.add(requestId);
        for (InetSocketAddress a : listener.addresses()) {
            answer.add(a.getAddress().getHostAddress());
            answer.add(String.valueOf(a.getPort()));
        }
        child.send(new LinkMessage(LinkMessage.BOUND, answer));
        if (child == starting) {
            promote(child);
        } else if (child == serving) {
            stopOldIfCovered(child);
        }
    }

    /** The new child listens: it serves from now on; the old one stops once replaced. */
    private void promote(Child child) {
        starting = null;
        changedClasses.clear();
        lastFailure = null;
        child.state = Child.State.SERVING;
        Child old = serving;
        serving = child;
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - child.changeNanos);
        say(child + " serving on " + listenerAddresses(child) + (child.id == 1 ? "" : ", " + ms + " ms after the change"));
        if (compiler != null && !warmedUp) {
            warmedUp = true;
            compiles.execute(compiler::warmUp);
        }
        if (old != null) {
            old.state = Child.State.DRAINING;
            stopOldIfCovered(child);
            timers.schedule(() -> events.add(new StopOld(old)), SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private String listenerAddresses(Child child) {
        List<String> out = new ArrayList<>();
        for (ListenKey k : child.bound.keySet()) {
            for (InetSocketAddress a : listeners.get(k).addresses()) {
                out.add(hostAndPort(a));
            }
        }
        return String.join(", ", out);
    }

    /** {@code 127.0.0.1:8888}, {@code [::1]:8888}, {@code [::]:8888} for the dual-stack wildcard. */
    static String hostAndPort(InetSocketAddress a) {
        java.net.InetAddress ip = a.getAddress();
        String host = ip.isAnyLocalAddress() ? (ip instanceof java.net.Inet6Address ? "::" : "0.0.0.0") : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Stops the draining children whose every socket the serving child has bound again. */
    private void stopOldIfCovered(Child current) {
        for (Child c : alive) {
            if (c != current && c.state == Child.State.DRAINING && current.bound.keySet().containsAll(c.bound.keySet())) {
                stop(c);
            }
        }
    }

    private void stop(Child old) {
        if (old.state != Child.State.DRAINING || old.killedBecause != null) {
            return;
        }
        String by = serving == null ? "the new version" : "version " + serving.id;
        old.killedBecause = "replaced";
        for (Map.Entry<ListenKey, InetSocketAddress> e : old.bound.entrySet()) {
            PublicListener l = listeners.get(e.getKey());
            if (l.routesTo(e.getValue())) {
                // the new version did not listen on this socket again: nothing serves it any more
                l.fail(by + " does not listen on this port");
            }
        }
        old.send(LinkMessage.of(LinkMessage.STOP, String.valueOf(options.drainTimeout().toMillis())));
        timers.schedule(() -> events.add(new Kill(old)), options.drainTimeout().plus(KILL_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    }

    private void exited(Child child, int status) {
        Child.State was = child.state;
        child.state = Child.State.GONE;
        alive.remove(child);
        children.remove(child.id);
        child.closeLink();
        if (child == starting) {
            starting = null;
            String why = child.failure != null ? child.failure
                    : child.killedBecause != null ? child.killedBecause : "exit status " + status;
            failed(child + " failed to start (" + why + ")");
        } else if (child == serving) {
            serving = null;
            for (PublicListener l : listeners.values()) {
                if (starting != null) {
                    l.hold();
                } else {
                    l.fail(child + " exited with status " + status);
                }
            }
            say(child + " exited with status " + status + "; waiting for the next change");
        } else if (was == Child.State.DRAINING) {
            say(child + " stopped");
        }
    }

    private void failed(String what) {
        lastFailure = what;
        if (serving != null) {
            say(what + "; " + serving + " keeps serving. Waiting for the next change.");
        } else {
            say(what + "; nothing serves. Waiting for the next change.");
            listeners.values().forEach(l -> l.fail(what));
        }
    }

    // ------------------------------------------------------------------ the link

    private void openLink() throws IOException {
        linkDir = Files.createTempDirectory("gale-autoreload-");
        linkSocket = linkDir.resolve("link");
        linkServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        linkServer.bind(UnixDomainSocketAddress.of(linkSocket));
        Thread.ofPlatform().daemon().name("gale-autoreload-link-accept").start(() -> {
            while (!shuttingDown) {
                SocketChannel c;
                try {
                    c = linkServer.accept();
                } catch (IOException e) {
                    return;
                }
                Thread.ofVirtual().name("gale-autoreload-link").start(() -> readLink(new LinkChannel(c)));
            }
        });
    }

    /** One child's link: HELLO first, then every message as an event. */
    private void readLink(LinkChannel link) {
        int id;
        try {
            LinkMessage hello = link.receive();
            if (hello == null || !hello.type().equals(LinkMessage.HELLO)) {
                link.close();
                return;
            }
            id = Integer.parseInt(hello.field(0));
            events.add(new Connected(id, link));
            LinkMessage m;
            while ((m = link.receive()) != null) {
                events.add(new Message(id, m));
            }
        } catch (IOException | RuntimeException e) {
            if (!shuttingDown) {
                say("link to a child failed: " + e.getMessage());
            }
        }
        link.close();
    }

    // ------------------------------------------------------------------ ending

    /**
     * Stops the children (TERM, then KILL after three seconds), closes the public sockets and
     * removes the link socket. Called from a shutdown hook.
     */
    void shutdown() {
        shuttingDown = true;
        if (watcher != null) {
            watcher.close();
        }
        for (Child c : alive) {
            c.process.destroy();
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (Child c : alive) {
            try {
                if (!c.process.waitFor(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    c.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                c.process.destroyForcibly();
            }
        }
        listeners.values().forEach(PublicListener::close);
        try {
            if (linkServer != null) {
                linkServer.close();
            }
            if (linkSocket != null) {
                Files.deleteIfExists(linkSocket);
                Files.deleteIfExists(linkDir);
            }
        } catch (IOException e) {
            // a temporary directory left behind
        }
        timers.shutdownNow();
        if (compiles != null) {
            compiles.shutdownNow();
        }
    }

    private void say(String line) {
        log.println("[autoreload] " + line);
        log.flush();
    }
}
