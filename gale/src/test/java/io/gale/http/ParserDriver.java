package io.gale.http;

import io.gale.internal.http.Http1Parser;
import io.gale.internal.http.HttpParseError;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test harness that drives an {@link Http1Parser} like a connection would: appends each arriving
 * chunk to a buffer, pulls events until NEED_MORE, compacts. Records a split-independent outcome
 * (body slices are concatenated per message), so the same input fed in different pieces must give
 * equal {@link Outcome}s.
 */
final class ParserDriver {
    private ParserDriver() {
    }

    /** One parsed message. */
    record Message(String head, HttpHeaders headers, String body, String trailers, boolean complete) {
        @Override
        public String toString() {
            return head + " " + headers + " body=" + body + " trailers=" + trailers + (complete ? " complete" : "");
        }
    }

    /** Everything a run produced; {@code terminal} is ERROR <status>, NEED_MORE, UPGRADE or END. */
    record Outcome(List<Message> messages, String terminal, HttpParseError error) {
        int completed() {
            return (int) messages.stream().filter(Message::complete).count();
        }

        int errorStatus() {
            return error == null ? 0 : error.status();
        }

        @Override
        public String toString() {
            return messages + " -> " + terminal;
        }
    }

    static Outcome parseRequests(String input) {
        return run(Http1Parser.forRequests(Http1ParserLimits.DEFAULTS), bytes(input), null, false, false);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Feeds {@code input} split at {@code splits} (ascending offsets; null = one piece), optionally
     * into direct buffers, then calls finish() if {@code finish}.
     */
    static Outcome run(Http1Parser p, byte[] input, int[] splits, boolean direct, boolean finish) {
        return run(p, input, splits, direct, finish, false);
    }

    /**
     * As above; with {@code stopAfterClose}, behaves like a connection that stops reading after a
     * message that is not keep-alive (RFC 9112 section 9.6): any further byte ends the run with the
     * terminal DATA_AFTER_CLOSE.
     */
    static Outcome run(Http1Parser p, byte[] input, int[] splits, boolean direct, boolean finish,
                       boolean stopAfterClose) {
        List<Message> messages = new ArrayList<>();
        MessageBuilder cur = null;
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(input.length + 16) : ByteBuffer.allocate(input.length + 16);
        buf.flip();
        int start = 0;
        int nSplits = splits == null ? 0 : splits.length;
        int guard = input.length * 8 + 64;
        for (int s = 0; s <= nSplits; s++) {
            int end = s < nSplits ? splits[s] : input.length;
            buf.compact();
            buf.put(input, start, end - start);
            buf.flip();
            start = end;
            for (;;) {
                if (--guard < 0) {
                    throw new AssertionError("parser does not make progress");
                }
                Http1Parser.Event e = p.next(buf);
                switch (e) {
                    case NEED_MORE -> {
                        if (buf.hasRemaining()) {
                            throw new AssertionError("NEED_MORE with " + buf.remaining() + " unconsumed bytes");
                        }
                    }
                    case HEAD -> cur = new MessageBuilder(p);
                    case BODY -> {
                        byte[] b = new byte[p.body().remaining()];
                        p.body().duplicate().get(b);
                        cur.body.write(b, 0, b.length);
                    }
                    case MESSAGE_COMPLETE -> {
                        messages.add(cur.build(p, true));
                        cur = null;
                        if (stopAfterClose && !p.isKeepAlive() && !p.isUpgrade() && (buf.hasRemaining() || start < input.length)) {
                            return new Outcome(messages, "DATA_AFTER_CLOSE", null);
                        }
                    }
                    case UPGRADE, ERROR -> {
                        if (cur != null) {
                            messages.add(cur.build(p, false));
                        }
                        return new Outcome(messages, e == Http1Parser.Event.ERROR ? "ERROR " + p.error().status()
                            : "UPGRADE", p.error());
                    }
                    case END -> throw new AssertionError("END from next()");
                }
                if (e == Http1Parser.Event.NEED_MORE) {
                    break;
                }
            }
        }
        String terminal = "NEED_MORE";
        if (finish) {
            Http1Parser.Event e = p.finish();
            if (e == Http1Parser.Event.MESSAGE_COMPLETE) {
                messages.add(cur.build(p, true));
                cur = null;
                terminal = "END";
            } else {
                terminal = e == Http1Parser.Event.ERROR ? "ERROR " + p.error().status() : e.name();
            }
        }
        if (cur != null) {
            messages.add(cur.build(p, false));
        }
        return new Outcome(messages, terminal, p.error());
    }

    private static final class MessageBuilder {
        final String head;
        final HttpHeaders headers;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        MessageBuilder(Http1Parser p) {
            head = p.isRequestParser()
                ? p.method() + " " + p.target() + " " + p.version() + " " + p.bodyFraming() + " " + p.contentLength()
                    + (p.isKeepAlive() ? " keep-alive" : " close")
                : p.version() + " " + p.status() + " " + p.reason() + " " + p.bodyFraming() + " " + p.contentLength()
                    + (p.isKeepAlive() ? " keep-alive" : " close");
            headers = p.headers();
        }

        Message build(Http1Parser p, boolean complete) {
            return new Message(head, headers, body.toString(StandardCharsets.ISO_8859_1),
                complete ? p.trailers().toString() : "", complete);
        }
    }
}
