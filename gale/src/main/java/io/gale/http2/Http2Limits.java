package io.gale.http2;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of an HTTP/2 endpoint (codec and connection), in one table. Each one says what Gale
 * advertises (if anything), where the default comes from, and how exceeding it is answered.
 * Public only so that the client and server packages of this module can configure their
 * connections; the package is not exported.
 *
 * <pre>{@code
 * Http2Limits limits = Http2Limits.builder().maxHeaderListSize(32 * 1024).initialWindowSize(256 * 1024).build();
 * }</pre>
 *
 * The first five limits are the codec's (frame parser and HPACK), the others the connection's.
 *
 * @param headerTableSize bytes of the dynamic table our HPACK decoder keeps: advertised as
 *     SETTINGS_HEADER_TABLE_SIZE (default 4096, the RFC 7541 initial value, so it need not be sent).
 *     A dynamic table size update above it is a connection error COMPRESSION_ERROR
 *     (RFC 7541 section 6.3)
 * @param maxFrameSize largest frame payload accepted: advertised as SETTINGS_MAX_FRAME_SIZE
 *     (default 16384, the RFC 9113 initial value; 16384 to 16777215). A larger DATA frame is a
 *     stream error FRAME_SIZE_ERROR, any other larger frame a connection error FRAME_SIZE_ERROR
 *     (RFC 9113 section 4.2)
 * @param maxHeaderListSize decoded size of one field block, counted as RFC 9113 section 6.5.2 does
 *     (name + value + 32 per field): advertised as SETTINGS_MAX_HEADER_LIST_SIZE (default 64 KiB,
 *     the same as {@code Http1ParserLimits.maxHeaderSize}, so a request accepted over HTTP/1.1 is
 *     accepted over HTTP/2). Exceeded: the block is still decoded to keep the HPACK context in
 *     sync, fields past the limit are dropped and the block is flagged; a server answers 431
 *     (RFC 9113 section 10.5.1), a client fails the request and resets the stream. It also bounds
 *     one string literal: a longer one is a connection error COMPRESSION_ERROR (an implementation
 *     limit, RFC 7541 section 5.1's rule for integers)
 * @param maxHeaderBlockSize hard cap on one field block, counted both encoded (HEADERS or
 *     PUSH_PROMISE plus CONTINUATION payloads, each frame also counting its 9-byte header, so empty
 *     CONTINUATION frames add up) and decoded: exceeding either is a connection error
 *     ENHANCE_YOUR_CALM. This bounds the CONTINUATION flood (CVE-2024-27316) and the HPACK bomb
 *     (default 256 KiB, four times {@code maxHeaderListSize}; at least {@code maxHeaderListSize})
 * @param encoderTableSize bytes of the dynamic table our HPACK encoder uses at most, whatever
 *     larger SETTINGS_HEADER_TABLE_SIZE the peer offers (default 4096): memory per connection
 * @param maxConcurrentStreams streams the peer may open at once: advertised as
 *     SETTINGS_MAX_CONCURRENT_STREAMS (default 100, the smallest value RFC 9113 section 6.5.2
 *     recommends). A stream opened beyond it is refused with a stream error REFUSED_STREAM (section
 *     5.1.2), which tells the peer it may retry. A client refuses server push anyway
 *     (SETTINGS_ENABLE_PUSH 0), so it matters on the server side
 * @param initialWindowSize receive window of each stream: advertised as
 *     SETTINGS_INITIAL_WINDOW_SIZE (default 1 MiB; the protocol's 65535 would limit a download to
 *     64 KiB per round trip). DATA beyond it is a stream error FLOW_CONTROL_ERROR (section 6.9).
 *     Bytes are returned to the peer (WINDOW_UPDATE) as the application consumes them, once half
 *     the window is consumed: the window bounds what a slow consumer makes us hold per stream
 * @param connectionWindowSize receive window of the whole connection, raised from 65535 by a
 *     WINDOW_UPDATE right after our SETTINGS (default 16 MiB, as OkHttp; at least
 *     {@code initialWindowSize}). DATA beyond it is a connection error FLOW_CONTROL_ERROR; it
 *     bounds what all streams of a connection hold together
 * @param settingsTimeout how long our SETTINGS may go unacknowledged (default 10 s): then the
 *     connection ends with GOAWAY SETTINGS_TIMEOUT (section 6.5.3)
 * @param maxQueuedControlFrames frames we owe the peer as answers (SETTINGS and PING ACKs,
 *     RST_STREAM) that may sit in our write queue because the peer does not read: more is a
 *     SETTINGS, PING or reset flood (CVE-2019-9512, CVE-2019-9515) and ends the connection with
 *     GOAWAY ENHANCE_YOUR_CALM (default 10,000, as Netty)
 * @param maxConsecutiveEmptyFrames DATA frames without payload and without END_STREAM accepted in a
 *     row (default 10): they do nothing but cost work, so more is the empty-frames flood
 *     (CVE-2019-9518), a connection error ENHANCE_YOUR_CALM
 * @param maxPeerResets RST_STREAM frames a server accepts from its peer within
 *     {@code peerResetWindow} (default 200 per 30 s, as Netty's Http2MaxRstFrameDecoder): more is
 *     the rapid reset attack (CVE-2023-44487: streams opened and cancelled at once, so the
 *     concurrency limit never binds while the server does the work of each), a connection error
 *     ENHANCE_YOUR_CALM. Not applied by a client
 * @param peerResetWindow the window of {@code maxPeerResets}; it starts at the first reset and
 *     restarts with the first reset after it ended
 */
public record Http2Limits(int headerTableSize, int maxFrameSize, int maxHeaderListSize, int maxHeaderBlockSize,
                          int encoderTableSize, int maxConcurrentStreams, int initialWindowSize,
                          int connectionWindowSize, Duration settingsTimeout, int maxQueuedControlFrames,
                          int maxConsecutiveEmptyFrames, int maxPeerResets, Duration peerResetWindow) {

    /** The defaults listed on the record components. */
    public static final Http2Limits DEFAULTS = builder().build();

    /** Validates the limits against the ranges the protocol allows. */
    public Http2Limits {
        if (headerTableSize < 0 || encoderTableSize < 0) {
            throw new IllegalArgumentException("table sizes must be >= 0: " + headerTableSize + ", "
                + encoderTableSize);
        }
        if (maxFrameSize < Http2Frames.DEFAULT_MAX_FRAME_SIZE || maxFrameSize > Http2Frames.MAX_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxFrameSize must be 16384..16777215: " + maxFrameSize);
        }
        if (maxHeaderListSize < 32 || maxHeaderBlockSize < maxHeaderListSize) {
            throw new IllegalArgumentException("need 32 <= maxHeaderListSize <= maxHeaderBlockSize: "
                + maxHeaderListSize + ", " + maxHeaderBlockSize);
        }
        if (maxConcurrentStreams < 0) {
            throw new IllegalArgumentException("maxConcurrentStreams must be >= 0: " + maxConcurrentStreams);
        }
        if (initialWindowSize < 1 || connectionWindowSize < Http2InboundWindow.DEFAULT_SIZE
            || connectionWindowSize < initialWindowSize) {
            throw new IllegalArgumentException("need 1 <= initialWindowSize <= connectionWindowSize and "
                + "connectionWindowSize >= 65535: " + initialWindowSize + ", " + connectionWindowSize);
        }
        Objects.requireNonNull(settingsTimeout, "settingsTimeout");
        if (settingsTimeout.isNegative() || settingsTimeout.isZero()) {
            throw new IllegalArgumentException("settingsTimeout must be positive: " + settingsTimeout);
        }
        if (maxQueuedControlFrames < 1 || maxConsecutiveEmptyFrames < 0) {
            throw new IllegalArgumentException("need maxQueuedControlFrames >= 1, maxConsecutiveEmptyFrames >= 0: "
                + maxQueuedControlFrames + ", " + maxConsecutiveEmptyFrames);
        }
        Objects.requireNonNull(peerResetWindow, "peerResetWindow");
        if (maxPeerResets < 0 || peerResetWindow.isNegative() || peerResetWindow.isZero()) {
            throw new IllegalArgumentException("need maxPeerResets >= 0 and a positive peerResetWindow: "
                + maxPeerResets + ", " + peerResetWindow);
        }
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these limits. */
    public Builder toBuilder() {
        return new Builder().headerTableSize(headerTableSize).maxFrameSize(maxFrameSize)
            .maxHeaderListSize(maxHeaderListSize).maxHeaderBlockSize(maxHeaderBlockSize)
            .encoderTableSize(encoderTableSize).maxConcurrentStreams(maxConcurrentStreams)
            .initialWindowSize(initialWindowSize).connectionWindowSize(connectionWindowSize)
            .settingsTimeout(settingsTimeout).maxQueuedControlFrames(maxQueuedControlFrames)
            .maxConsecutiveEmptyFrames(maxConsecutiveEmptyFrames).maxPeerResets(maxPeerResets)
            .peerResetWindow(peerResetWindow);
    }

    /** Builder of {@link Http2Limits}; not thread-safe. */
    public static final class Builder {
        private int headerTableSize = 4096;
        private int maxFrameSize = Http2Frames.DEFAULT_MAX_FRAME_SIZE;
        private int maxHeaderListSize = 64 * 1024;
        private int maxHeaderBlockSize = 256 * 1024;
        private int encoderTableSize = 4096;
        private int maxConcurrentStreams = 100;
        private int initialWindowSize = 1 << 20;
        private int connectionWindowSize = 16 << 20;
        private Duration settingsTimeout = Duration.ofSeconds(10);
        private int maxQueuedControlFrames = 10_000;
        private int maxConsecutiveEmptyFrames = 10;
        private int maxPeerResets = 200;
        private Duration peerResetWindow = Duration.ofSeconds(30);

        private Builder() {
        }

        /** See {@link Http2Limits#headerTableSize()}. */
        public Builder headerTableSize(int v) {
            headerTableSize = v;
            return this;
        }

        /** See {@link Http2Limits#maxFrameSize()}. */
        public Builder maxFrameSize(int v) {
            maxFrameSize = v;
            return this;
        }

        /** See {@link Http2Limits#maxHeaderListSize()}. */
        public Builder maxHeaderListSize(int v) {
            maxHeaderListSize = v;
            return this;
        }

        /** See {@link Http2Limits#maxHeaderBlockSize()}. */
        public Builder maxHeaderBlockSize(int v) {
            maxHeaderBlockSize = v;
            return this;
        }

        /** See {@link Http2Limits#encoderTableSize()}. */
        public Builder encoderTableSize(int v) {
            encoderTableSize = v;
            return this;
        }

        /** See {@link Http2Limits#maxConcurrentStreams()}. */
        public Builder maxConcurrentStreams(int v) {
            maxConcurrentStreams = v;
            return this;
        }

        /** See {@link Http2Limits#initialWindowSize()}. */
        public Builder initialWindowSize(int v) {
            initialWindowSize = v;
            return this;
        }

        /** See {@link Http2Limits#connectionWindowSize()}. */
        public Builder connectionWindowSize(int v) {
            connectionWindowSize = v;
            return this;
        }

        /** See {@link Http2Limits#settingsTimeout()}. */
        public Builder settingsTimeout(Duration v) {
            settingsTimeout = v;
            return this;
        }

        /** See {@link Http2Limits#maxQueuedControlFrames()}. */
        public Builder maxQueuedControlFrames(int v) {
            maxQueuedControlFrames = v;
            return this;
        }

        /** See {@link Http2Limits#maxConsecutiveEmptyFrames()}. */
        public Builder maxConsecutiveEmptyFrames(int v) {
            maxConsecutiveEmptyFrames = v;
            return this;
        }

        /** See {@link Http2Limits#maxPeerResets()}. */
        public Builder maxPeerResets(int v) {
            maxPeerResets = v;
            return this;
        }

        /** See {@link Http2Limits#peerResetWindow()}. */
        public Builder peerResetWindow(Duration v) {
            peerResetWindow = v;
            return this;
        }

        /** Builds the limits. */
        public Http2Limits build() {
            return new Http2Limits(headerTableSize, maxFrameSize, maxHeaderListSize, maxHeaderBlockSize,
                encoderTableSize, maxConcurrentStreams, initialWindowSize, connectionWindowSize, settingsTimeout,
                maxQueuedControlFrames, maxConsecutiveEmptyFrames, maxPeerResets, peerResetWindow);
        }
    }
}
