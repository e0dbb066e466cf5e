package io.gale.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** run-fanout's client: its delay histogram, and how a subscriber reads and checks the room's frames. */
@Timeout(60)
class FanoutClientTest {
    private static final long RUN = 77;

    @Test
    void histogramIsExactBelowOneMillisecondAndWithinTwoPercentAbove() {
        DelayHistogram h = new DelayHistogram();
        for (int us = 1; us <= 1000; us++) {
            h.record(us * 1000L);
        }
        assertThat(h.percentileMicros(0.5)).isEqualTo(500);
        assertThat(h.percentileMicros(0.99)).isEqualTo(990);
        DelayHistogram big = new DelayHistogram();
        big.record(123_456_789_000L);
        long p = big.percentileMicros(0.5);
        assertThat(p).isEqualTo(123_456_789L); // capped by the exact maximum
        for (long v : new long[] {1024, 5000, 77_777, 3_000_000, 1L << 40}) {
            long edge = DelayHistogram.upperEdge(DelayHistogram.index(v));
            assertThat(edge).isGreaterThanOrEqualTo(Math.min(v, (1L << 37) - 1)); // the last bucket takes everything beyond
            if (v < 1L << 36) {
                assertThat((double) edge).isLessThanOrEqualTo(v * 1.016 + 1);
            }
        }
    }

    @Test
    void histogramsMerge() {
        DelayHistogram a = new DelayHistogram(), b = new DelayHistogram();
        a.record(1_000);
        b.record(2_000_000);
        a.add(b);
        assertThat(a.total()).isEqualTo(2);
        assertThat(a.maxMicros()).isEqualTo(2_000);
    }

    @Test
    void galeChatMessagesAreCountedTimedAndCheckedInOrder() throws IOException {
        FanoutLoad.Phase[] phases = phases();
        FanoutReceiver r = new FanoutReceiver(phases, new FanoutLoad.Sync());
        long now = System.nanoTime();
        byte[] frames = concat(gale(1, 0, 0, now), gale(1, 0, 1, now), gale(1, 1, 0, now), gale(1, 0, 3, now));
        FanoutConnection c = connection(FanoutConnection.Protocol.GALE, frames);
        c.start(r);
        assertThat(r.deliveries.get(1)).isEqualTo(4);
        assertThat(r.gaps[1]).isEqualTo(1); // publisher 0's message 2 never came
        assertThat(r.reorders[1]).isZero();
        assertThat(r.delays[1].total()).isEqualTo(4);
    }

    @Test
    void aStepBackIsAReorderAndAnotherRunsMessageIsIgnored() throws IOException {
        FanoutLoad.Phase[] phases = phases();
        FanoutReceiver r = new FanoutReceiver(phases, new FanoutLoad.Sync());
        long now = System.nanoTime();
        byte[] other = frame("{\"id\": \"x\", \"body\": \"5 1 0 0 " + now + " xx\", \"html\": \"\"}");
        FanoutConnection c = connection(FanoutConnection.Protocol.GALE,
                concat(other, gale(1, 0, 1, now), gale(1, 0, 0, now)));
        c.start(r);
        assertThat(r.foreign).isEqualTo(1);
        assertThat(r.reorders[1]).isEqualTo(1);
        assertThat(r.gaps[1]).isEqualTo(1);
    }

    @Test
    void socketIoEventsAreReadAndItsOtherPacketsSkipped() throws IOException {
        FanoutLoad.Phase[] phases = phases();
        FanoutReceiver r = new FanoutReceiver(phases, new FanoutLoad.Sync());
        long now = System.nanoTime();
        byte[] frames = concat(frame("0{\"sid\":\"a\",\"pingInterval\":300000}"), frame("40{\"sid\":\"b\"}"),
                frame("42[\"message\",{\"id\":\"u\",\"body\":\"" + RUN + " 1 0 0 " + now + " xx\",\"html\":\"h\"}]"));
        connection(FanoutConnection.Protocol.SOCKETIO, frames).start(r);
        assertThat(r.deliveries.get(1)).isEqualTo(1);
    }

    @Test
    void anErrorReplyOrAMaskedFrameFailsTheConnection() throws IOException {
        FanoutReceiver r = new FanoutReceiver(phases(), new FanoutLoad.Sync());
        assertThatThrownBy(() -> connection(FanoutConnection.Protocol.GALE,
                frame("{\"error\": \"not sent\"}")).start(r)).hasMessageContaining("server error");
        byte[] masked = frame("{}");
        masked[1] |= (byte) 0x80;
        assertThatThrownBy(() -> connection(FanoutConnection.Protocol.GALE, masked).start(r))
                .hasMessageContaining("masked");
    }

    private static FanoutLoad.Phase[] phases() {
        FanoutLoad.Phase sync = new FanoutLoad.Phase("sync", true, false, 0, 0, 1, 2);
        FanoutLoad.Phase paced = new FanoutLoad.Phase("rate-1", false, true, 1, 0, 1, 2);
        paced.measureFrom = Long.MIN_VALUE;
        return new FanoutLoad.Phase[] {sync, paced};
    }

    private static FanoutConnection connection(FanoutConnection.Protocol p, byte[] early) {
        return new FanoutConnection(null, p, true, 0, 2, ByteBuffer.wrap(early), 1, RUN);
    }

    private static byte[] gale(int phase, int publisher, long seq, long nanos) {
        return frame("{\"id\": \"i\", \"body\": \"" + RUN + " " + phase + " " + publisher + " " + seq + " " + nanos
                + " xxxx\", \"html\": \"<div class=\\\"message\\\">x</div>\"}");
    }

    /** An unmasked server text frame. */
    private static byte[] frame(String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(p.length + 4);
        b.put((byte) 0x81);
        if (p.length < 126) {
            b.put((byte) p.length);
        } else {
            b.put((byte) 126).putShort((short) p.length);
        }
        b.put(p);
        byte[] out = new byte[b.position()];
        System.arraycopy(b.array(), 0, out, 0, out.length);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
