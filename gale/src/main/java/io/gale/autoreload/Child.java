package io.gale.autoreload;

import io.gale.internal.autoreload.LinkChannel;
import io.gale.internal.autoreload.LinkMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The supervisor's view of one child JVM: its process, its link and the sockets it listens on.
 * Confined to the supervisor's thread, except {@link #send}.
 */
final class Child {
    /** Where a child is in its life. */
    enum State {
        /** Started, not yet listening. */
        STARTING,
        /** Its sockets receive the new connections. */
        SERVING,
        /** Replaced: finishing what it has, then exiting. */
        DRAINING,
        /** Exited. */
        GONE
    }

    final int id;
    final Process process;
    /** {@link System#nanoTime()} of the change that started it (or of its start). */
    final long changeNanos;
    /** Classes it was asked to load before {@code main}. */
    final List<String> toCheck;
    /** Public socket key to the child's internal loopback address. */
    final Map<Supervisor.ListenKey, InetSocketAddress> bound = new LinkedHashMap<>();
    State state = State.STARTING;
    /** Set when the link said why it is going to fail. */
    String failure;
    /** Set when the supervisor killed it on purpose (a newer change, a start timeout). */
    String killedBecause;
    private volatile LinkChannel link;

    Child(int id, Process process, long changeNanos, List<String> toCheck) {
        this.id = id;
        this.process = process;
        this.changeNanos = changeNanos;
        this.toCheck = List.copyOf(toCheck);
    }

    void connected(LinkChannel link) {
        this.link = link;
    }

    /** Sends a message; a child that is gone does not need it. */
    void send(LinkMessage message) {
        LinkChannel l = link;
        if (l == null) {
            return;
        }
        try {
            l.send(message);
        } catch (IOException e) {
            // it is exiting; its exit event follows
        }
    }

    void closeLink() {
        LinkChannel l = link;
        if (l != null) {
            l.close();
        }
    }

    @Override
    public String toString() {
        return "version " + id + " (pid " + process.pid() + ")";
    }
}
