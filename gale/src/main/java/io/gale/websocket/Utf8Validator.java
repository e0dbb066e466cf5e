package io.gale.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Incremental UTF-8 validator (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), a
 * table-driven state machine (byte class, then state transition) that carries a partial
 * sequence from one call to the next, so a text message can be checked piece by piece as frames
 * arrive and fail at its first bad byte.
 * ASCII runs are skipped eight bytes at a time.
 *
 * <p>One instance per message stream; not thread-safe.
 */
final class Utf8Validator {
    /** A validator at the start of a text. */
    public Utf8Validator() {
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    // Byte classes: bytes that behave alike in every state share a column of the table.
    private static final int ASCII = 0;   // 00..7F
    private static final int C80 = 1;     // 80..8F continuation
    private static final int C90 = 2;     // 90..9F continuation
    private static final int CA0 = 3;     // A0..BF continuation
    private static final int BAD = 4;     // C0, C1, F5..FF: never valid
    private static final int L2 = 5;      // C2..DF: lead of 2
    private static final int LE0 = 6;     // E0: lead of 3, no overlongs
    private static final int L3 = 7;      // E1..EC, EE, EF: lead of 3
    private static final int LED = 8;     // ED: lead of 3, no surrogates
    private static final int LF0 = 9;     // F0: lead of 4, no overlongs
    private static final int L4 = 10;     // F1..F3: lead of 4
    private static final int LF4 = 11;    // F4: lead of 4, at most U+10FFFF
    private static final int CLASSES = 12;

    // States (pre-multiplied by CLASSES, so a transition is one add and one load): what the
    // next byte must be.
    private static final int ACCEPT = 0;
    private static final int CONT1 = 1 * CLASSES;    // one more 80..BF
    private static final int CONT2 = 2 * CLASSES;    // two more 80..BF
    private static final int CONT3 = 3 * CLASSES;    // three more 80..BF
    private static final int AFTER_E0 = 4 * CLASSES; // A0..BF, then CONT1
    private static final int AFTER_ED = 5 * CLASSES; // 80..9F, then CONT1
    private static final int AFTER_F0 = 6 * CLASSES; // 90..BF, then CONT2
    private static final int AFTER_F4 = 7 * CLASSES; // 80..8F, then CONT2
    private static final int REJECT = 8 * CLASSES;

    private static final byte[] CLASS = new byte[256];
    private static final short[] NEXT = new short[9 * CLASSES];

    static {
        for (int b = 0; b < 256; b++) {
            CLASS[b] = (byte) (b < 0x80 ? ASCII : b < 0x90 ? C80 : b < 0xA0 ? C90 : b < 0xC0 ? CA0
                    : b < 0xC2 ? BAD : b < 0xE0 ? L2 : b == 0xE0 ? LE0 : b == 0xED ? LED : b < 0xF0 ? L3
                    : b == 0xF0 ? LF0 : b < 0xF4 ? L4 : b == 0xF4 ? LF4 : BAD);
        }
        java.util.Arrays.fill(NEXT, (short) REJECT);
        int[] leads = {ASCII, L2, LE0, L3, LED, LF0, L4, LF4};
        int[] targets = {ACCEPT, CONT1, AFTER_E0, CONT2, AFTER_ED, AFTER_F0, CONT3, AFTER_F4};
        for (int i = 0; i < leads.length; i++) {
            NEXT[ACCEPT + leads[i]] = (short) targets[i];
        }
        for (int c : new int[] {C80, C90, CA0}) {
            NEXT[CONT1 + c] = ACCEPT;
            NEXT[CONT2 + c] = CONT1;
            NEXT[CONT3 + c] = CONT2;
        }
        NEXT[AFTER_E0 + CA0] = CONT1;
        NEXT[AFTER_ED + C80] = CONT1;
        NEXT[AFTER_ED + C90] = CONT1;
        NEXT[AFTER_F0 + C90] = CONT2;
        NEXT[AFTER_F0 + CA0] = CONT2;
        NEXT[AFTER_F4 + C80] = CONT2;
    }

    private int state = ACCEPT;

    /**
     * Checks the next bytes of the stream.
     *
     * @param a the bytes
     * @param off the offset of the first byte
     * @param len the number of bytes
     * @return false as soon as a byte cannot continue valid UTF-8 (the validator stays failed)
     */
    public boolean update(byte[] a, int off, int len) {
        int s = state;
        if (s == REJECT) {
            return false;
        }
        int i = off;
        int end = off + len;
        while (i < end) {
            if (s == ACCEPT) {
                while (i + 8 <= end && ((long) LONGS.get(a, i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
            }
            s = NEXT[s + CLASS[a[i++] & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return false;
            }
        }
        state = s;
        return true;
    }

    /**
     * True if everything so far is valid and no sequence is left unfinished.
     *
     * @return true if everything so far is valid and no sequence is left unfinished
     */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Starts over for a new message. */
    public void reset() {
        state = ACCEPT;
    }

    /**
     * Validates a whole byte range at once.
     *
     * @param a the bytes
     * @param off the offset of the first byte
     * @param len the number of bytes
     * @return true if the range is well-formed UTF-8
     */
    public static boolean isValid(byte[] a, int off, int len) {
        Utf8Validator v = new Utf8Validator();
        return v.update(a, off, len) && v.isComplete();
    }
}
