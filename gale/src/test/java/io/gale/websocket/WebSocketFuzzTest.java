package io.gale.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.DataFormatException;

/**
 * Jazzer fuzz targets for the WebSocket codecs that read peer bytes: the frame decoder, the
 * permessage-deflate inflater, the deflate round trip at every window size, the extension
 * negotiation and the UTF-8 validator. Under {@code mvn test} they run in regression mode over
 * the seeds in {@code src/test/resources/io/gale/websocket/WebSocketFuzzTestInputs/}; see
 * docs/fuzzing.md for a real campaign. The only acceptable outcomes are a value or the declared
 * failure (a close code, a {@link DataFormatException}, an {@link IllegalArgumentException}).
 */
class WebSocketFuzzTest {

    /** Frames from a client (masked) or a server, with or without deflate, fed in pieces. */
    @FuzzTest(maxDuration = "2m")
    void frameDecoder(FuzzedDataProvider data) {
        boolean server = data.consumeBoolean();
        FrameDecoder decoder = new FrameDecoder(server);
        decoder.setDeflateNegotiated(data.consumeBoolean());
        int[] closeCode = {0};
        long[] payload = {0};
        long[] announced = {0};
        FrameDecoder.Sink sink = new FrameDecoder.Sink() {
            @Override
            public boolean dataFrameStart(int opcode, boolean fin, boolean rsv1, long length) {
                assertThat(opcode).isIn(FrameDecoder.TEXT, FrameDecoder.BINARY, FrameDecoder.CONTINUATION);
                assertThat(length).isNotNegative();
                // saturating: two 63-bit frame lengths overflow a long
                announced[0] = length > Long.MAX_VALUE - announced[0] ? Long.MAX_VALUE : announced[0] + length;
                return true;
            }

            @Override
            public boolean dataPayload(byte[] a, int off, int len) {
                assertThat(len).isPositive();
                payload[0] += len;
                return true;
            }

            @Override
            public boolean dataFrameEnd(boolean fin) {
                return true;
            }

            @Override
            public boolean control(int opcode, byte[] payloadBytes) {
                assertThat(opcode).isIn(FrameDecoder.CLOSE, FrameDecoder.PING, FrameDecoder.PONG);
                assertThat(payloadBytes.length).isLessThanOrEqualTo(125);
                return true;
            }

            @Override
            public void protocolError(int code, String reason) {
                assertThat(closeCode[0]).as("one violation stops the decoder").isZero();
                assertThat(code).isIn(CloseCodes.PROTOCOL_ERROR, CloseCodes.MESSAGE_TOO_BIG, 1007);
                closeCode[0] = code;
            }
        };
        while (data.remainingBytes() > 0 && !decoder.failed()) {
            byte[] piece = data.consumeBytes(data.consumeInt(1, 64));
            int used = decoder.decode(piece, 0, piece.length, sink);
            assertThat(used).isBetween(0, piece.length);
            if (!decoder.failed()) {
                assertThat(used).as("a sink that never pauses gets everything").isEqualTo(piece.length);
            }
        }
        assertThat(payload[0]).isLessThanOrEqualTo(announced[0]);
        assertThat(decoder.failed()).isEqualTo(closeCode[0] != 0);
    }

    /** Arbitrary compressed messages, in pieces, with and without context takeover; output capped. */
    @FuzzTest(maxDuration = "2m")
    void inflater(FuzzedDataProvider data) {
        boolean noContext = data.consumeBoolean();
        int limit = data.consumeInt(1, 1 << 20);
        MessageInflater in = new MessageInflater(noContext, new byte[data.consumeInt(1, 4096)]);
        try {
            for (int message = 0; message < 4 && data.remainingBytes() > 0; message++) {
                long[] seen = {0};
                MessageInflater.Output out = (a, off, len) -> {
                    assertThat(len).isPositive();
                    seen[0] += len;
                    return seen[0] <= limit;
                };
                boolean ok = true;
                int pieces = data.consumeInt(1, 4);
                for (int i = 0; i < pieces && ok; i++) {
                    byte[] piece = data.consumeBytes(data.consumeInt(0, 512));
                    ok = in.inflate(piece, 0, piece.length, out);
                }
                if (ok) {
                    ok = in.finish(out);
                }
                // Stopped at the limit: never more than one scratch chunk beyond it.
                assertThat(seen[0]).isLessThanOrEqualTo(limit + 4096L);
                if (!ok) {
                    return; // the protocol closes the connection here
                }
            }
        } catch (DataFormatException expected) {
            // corrupt deflate data: the protocol closes with 1007
        } finally {
            in.close();
        }
    }

    /** Compress then inflate, at every window size and level, with and without context takeover. */
    @FuzzTest(maxDuration = "2m")
    void deflateRoundTrip(FuzzedDataProvider data) throws DataFormatException {
        int bits = data.consumeInt(8, 15);
        boolean noContext = data.consumeBoolean();
        MessageDeflater out = new MessageDeflater(data.consumeInt(0, 9), noContext, bits);
        MessageInflater in = new MessageInflater(noContext, new byte[1024]);
        try {
            while (data.remainingBytes() > 0) {
                byte[] message = data.consumeBytes(data.consumeInt(0, 70_000));
                byte[] z = out.compress(message, 0, message.length);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                MessageInflater.Output sink = (a, off, len) -> {
                    got.write(a, off, len);
                    return true;
                };
                int cut = z.length == 0 ? 0 : data.consumeInt(0, z.length);
                assertThat(in.inflate(z, 0, cut, sink)).isTrue();
                assertThat(in.inflate(z, cut, z.length - cut, sink)).isTrue();
                assertThat(in.finish(sink)).isTrue();
                assertThat(got.toByteArray()).as("window %d bits", bits).isEqualTo(message);
            }
        } finally {
            out.close();
            in.close();
        }
    }

    /** Sec-WebSocket-Extensions values, as a server reads an offer and a client reads the answer. */
    @FuzzTest(maxDuration = "2m")
    void extensionNegotiation(FuzzedDataProvider data) {
        CompressionOptions options = CompressionOptions.builder()
                .serverNoContextTakeover(data.consumeBoolean())
                .clientMaxWindowBits(data.consumeInt(8, 15))
                .serverMaxWindowBits(data.consumeInt(8, 15)).build();
        String header = data.consumeRemainingAsString();
        DeflateParams accepted = PerMessageDeflate.serverAccept(List.of(header), options);
        if (accepted != null) {
            assertThat(accepted.outgoingWindowBits()).isBetween(8, 15);
            // What we answer must be an answer a client (offering everything) accepts.
            CompressionOptions client = CompressionOptions.defaults();
            assertThat(PerMessageDeflate.clientAccept(List.of(accepted.responseHeader()), client)).isNotNull();
        }
        try {
            DeflateParams p = PerMessageDeflate.clientAccept(List.of(header), options);
            if (p != null) {
                assertThat(p.outgoingWindowBits()).isBetween(8, 15);
            }
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** The incremental UTF-8 validator agrees with the JDK's strict decoder, however the bytes are split. */
    @FuzzTest(maxDuration = "2m")
    void utf8Validator(FuzzedDataProvider data) {
        int cut = data.consumeInt(0, 64);
        byte[] bytes = data.consumeRemainingAsBytes();
        cut = Math.min(cut, bytes.length);
        boolean jdk;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        Utf8Validator v = new Utf8Validator();
        boolean ours = v.update(bytes, 0, cut) && v.update(bytes, cut, bytes.length - cut) && v.isComplete();
        assertThat(ours).isEqualTo(jdk);
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isEqualTo(jdk);
    }
}
