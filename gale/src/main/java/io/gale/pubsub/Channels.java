package io.gale.pubsub;

import java.nio.charset.StandardCharsets;

/**
 * The channel-name rule shared by every implementation: NATS's subject syntax (tokens separated
 * by dots, no wildcards, no whitespace), so a name valid for one broker is valid for all.
 */
final class Channels {
    private Channels() {
    }

    /** Returns {@code channel}, or throws {@link IllegalArgumentException} saying what is wrong. */
    static String check(String channel, PubSubLimits limits) {
        if (channel == null || channel.isEmpty()) {
            throw new IllegalArgumentException("channel name is empty");
        }
        int bytes = channel.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxChannelLength()) {
            throw new IllegalArgumentException("channel name of " + bytes + " bytes is longer than "
                + limits.maxChannelLength() + " (PubSubLimits.maxChannelLength)");
        }
        char previous = '.';
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("channel name contains whitespace or a control character at "
                    + i + ": " + quote(channel));
            }
            if (c == '*' || c == '>') {
                throw new IllegalArgumentException("channel name contains the wildcard '" + c + "': " + quote(channel));
            }
            if (c == '.' && previous == '.') {
                throw new IllegalArgumentException("channel name has an empty token (dots at the start, the end "
                    + "or doubled): " + quote(channel));
            }
            previous = c;
        }
        if (previous == '.') {
            throw new IllegalArgumentException("channel name ends with a dot: " + quote(channel));
        }
        return channel;
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            if (c < ' ' || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(s.length() > 80 ? "…\"" : "\"").toString();
    }
}
