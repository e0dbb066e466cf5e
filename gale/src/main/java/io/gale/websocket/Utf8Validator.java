package io.gale.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Incremental UTF-8 validator (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), a
 * small state machine that carries a partial sequence from one call to the next, so a text
 * message can be checked piece by piece as frames arrive and fail at its first bad byte.
 * ASCII runs are skipped eight bytes at a time.
 *
 * <p>One instance per message stream; not thread-safe.
 */
public final class Utf8Validator {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    // States: what the next byte must be.
    private static final int ACCEPT = 0;
    private static final int CONT1 = 1; // one more 80..BF
    private static final int CONT2 = 2; // two more 80..BF
    private static final int CONT3 = 3; // three more 80..BF
    private static final int AFTER_E0 = 4; // A0..BF, then CONT1 (no overlong 3-byte forms)
    private static final int AFTER_ED = 5; // 80..9F, then CONT1 (no surrogates)
    private static final int AFTER_F0 = 6; // 90..BF, then CONT2 (no overlong 4-byte forms)
    private static final int AFTER_F4 = 7; // 80..8F, then CONT2 (nothing above U+10FFFF)
    private static final int REJECT = 8;

    private int state = ACCEPT;

    /**
     * Checks the next bytes of the stream.
     *
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
            int b = a[i++] & 0xFF;
            s = next(s, b);
            if (s == REJECT) {
                state = REJECT;
                return false;
            }
        }
        state = s;
        return true;
    }

    private static int next(int s, int b) {
        switch (s) {
            case ACCEPT:
                if (b < 0x80) {
                    return ACCEPT;
                } else if (b < 0xC2) {
                    return REJECT; // continuation byte as lead, or overlong C0/C1
                } else if (b < 0xE0) {
                    return CONT1;
                } else if (b == 0xE0) {
                    return AFTER_E0;
                } else if (b == 0xED) {
                    return AFTER_ED;
                } else if (b < 0xF0) {
                    return CONT2;
                } else if (b == 0xF0) {
                    return AFTER_F0;
                } else if (b < 0xF4) {
                    return CONT3;
                } else if (b == 0xF4) {
                    return AFTER_F4;
                }
                return REJECT;
            case CONT1:
                return (b & 0xC0) == 0x80 ? ACCEPT : REJECT;
            case CONT2:
                return (b & 0xC0) == 0x80 ? CONT1 : REJECT;
            case CONT3:
                return (b & 0xC0) == 0x80 ? CONT2 : REJECT;
            case AFTER_E0:
                return b >= 0xA0 && b <= 0xBF ? CONT1 : REJECT;
            case AFTER_ED:
                return b >= 0x80 && b <= 0x9F ? CONT1 : REJECT;
            case AFTER_F0:
                return b >= 0x90 && b <= 0xBF ? CONT2 : REJECT;
            case AFTER_F4:
                return b >= 0x80 && b <= 0x8F ? CONT2 : REJECT;
            default:
                return REJECT;
        }
    }

    /** True if everything so far is valid and no sequence is left unfinished. */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Starts over for a new message. */
    public void reset() {
        state = ACCEPT;
    }

    /** Validates a whole byte range at once. */
    public static boolean isValid(byte[] a, int off, int len) {
        Utf8Validator v = new Utf8Validator();
        return v.update(a, off, len) && v.isComplete();
    }
}
