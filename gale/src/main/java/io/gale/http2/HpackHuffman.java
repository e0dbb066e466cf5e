package io.gale.http2;

/**
 * The HPACK Huffman code (RFC 7541 section 5.2 and Appendix B), both ways.
 *
 * <p>The code is canonical: it is fully determined by each symbol's code length, so only the 257
 * lengths of Appendix B are written down here and the codes are derived at class initialisation
 * (codes assigned in order of length, then symbol). Decoding runs a state machine over nibbles:
 * the states are the 256 internal nodes of the code tree plus a dead state, and a table of
 * 257 x 16 transitions, also built at class initialisation (16 KiB), gives for each state and
 * 4 input bits the next state and the symbol completed on the way, if any (at most one: the
 * shortest code has 5 bits). Reaching EOS leads to the dead state, which never leaves, never
 * emits and is not a valid end, so the loop has no failure branch: validity is decided once, at
 * the end, by the last state: the root, or a node reached from it by at most 7 one-bits
 * (section 5.2: padding is the EOS prefix, shorter than 8 bits). The loop also stores a symbol
 * on every step and advances the output only when one was completed, instead of branching.
 *
 * <p>Stateless; thread-safe.
 */
final class HpackHuffman {
    private HpackHuffman() {
    }

    /** Code length in bits of each symbol 0..255 and EOS (256), RFC 7541 Appendix B. */
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,  // 0-15
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,  // 16-31
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,          // 32-47
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,               // 48-63
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,                 // 64-79
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,              // 80-95
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,                 // 96-111
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,             // 112-127
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,  // 128-143
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,  // 144-159
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,  // 160-175
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,  // 176-191
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,  // 192-207
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,  // 208-223
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,  // 224-239
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,  // 240-255
        30,                                                              // EOS
    };

    private static final int EOS = 256;
    /** Code of each symbol, right-aligned in an int (at most 30 bits). */
    private static final int[] CODES = new int[257];

    // Transition entry layout: bits 0-8 next state, 9-16 emitted symbol, 17 emitted-or-not.
    private static final int STATE_MASK = 0x1ff;
    private static final int SYMBOL_SHIFT = 9;
    private static final int EMIT_SHIFT = 17;
    /** The state after EOS: absorbing. */
    private static final int DEAD = 256;
    /** Indexed by state * 16 + nibble. */
    private static final int[] TRANSITIONS = new int[257 * 16];
    /** Valid end states (section 5.2). */
    private static final boolean[] ACCEPTING = new boolean[257];

    static {
        // Canonical code assignment: by length, then by symbol (plain loops: no sorting with a
        // lambda, whose bootstrap would cost more than everything else here).
        int code = -1;
        int previousLength = 0;
        for (int length = 1; length <= 30; length++) {
            for (int s = 0; s < 257; s++) {
                if (LENGTHS[s] == length) {
                    code = (code + 1) << (length - previousLength);
                    previousLength = length;
                    CODES[s] = code;
                }
            }
        }
        buildDecoder();
    }

    /** Child encoding in the tree: a node id (0-255), or LEAF | symbol. */
    private static final int LEAF = 1 << 12;

    private static void buildDecoder() {
        int[][] children = new int[257][2];
        for (int[] c : children) {
            c[0] = -1;
            c[1] = -1;
        }
        int nodes = 1;
        for (int s = 0; s < 257; s++) {
            int node = 0;
            for (int bit = LENGTHS[s] - 1; bit >= 0; bit--) {
                int b = (CODES[s] >>> bit) & 1;
                if (bit == 0) {
                    children[node][b] = LEAF | s;
                } else {
                    if (children[node][b] < 0) {
                        children[node][b] = nodes++;
                    }
                    node = children[node][b];
                }
            }
        }
        if (nodes != 256) {
            throw new AssertionError("Huffman tree has " + nodes + " internal nodes");
        }
        // Valid end states: the root and the all-ones path below it, up to 7 bits deep.
        ACCEPTING[0] = true;
        for (int node = 0, depth = 1; depth <= 7; depth++) {
            node = children[node][1];
            ACCEPTING[node] = true;
        }
        for (int state = 0; state <= DEAD; state++) {
            for (int nibble = 0; nibble < 16; nibble++) {
                int node = state;
                int entry = 0;
                for (int bit = 3; bit >= 0 && node != DEAD; bit--) {
                    int child = children[node][(nibble >>> bit) & 1];
                    if ((child & LEAF) == 0) {
                        node = child;
                    } else if ((child & 0x1ff) == EOS) {
                        node = DEAD;
                        entry = 0;
                    } else {
                        entry = (1 << EMIT_SHIFT) | ((child & 0xff) << SYMBOL_SHIFT);
                        node = 0;
                    }
                }
                TRANSITIONS[state * 16 + nibble] = entry | node;
            }
        }
    }

    /**
     * Octets the Huffman encoding of {@code s} takes.
     *
     * @throws IllegalArgumentException if {@code s} holds a char above 0xFF (not an octet)
     */
    static int encodedLength(String s) {
        long bits = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                throw new IllegalArgumentException("field holds a char above 0xFF at " + i);
            }
            bits += LENGTHS[c];
        }
        return (int) ((bits + 7) >>> 3);
    }

    /**
     * Writes the Huffman encoding of {@code s} (chars 0..255) at {@code out[off]}, padded with the
     * most significant bits of EOS; returns the end offset. The caller sized {@code out} with
     * {@link #encodedLength}.
     */
    static int encode(String s, byte[] out, int off) {
        long acc = 0;
        int bits = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            int c = s.charAt(i) & 0xff;
            acc = (acc << LENGTHS[c]) | CODES[c];
            bits += LENGTHS[c];
            while (bits >= 8) {
                bits -= 8;
                out[off++] = (byte) (acc >>> bits);
            }
        }
        if (bits > 0) {
            out[off++] = (byte) ((acc << (8 - bits)) | (0xff >>> bits));
        }
        return off;
    }

    /**
     * Output room {@link #decode} needs for {@code n} encoded octets: the longest decoding (the
     * shortest code has 5 bits) plus one octet the branch-free loop may store past the end.
     */
    static int maxDecodedLength(int n) {
        return (int) (n * 8L / 5) + 1;
    }

    /**
     * Decodes {@code in[off, off+len)} into {@code out} (sized with {@link #maxDecodedLength}) and
     * returns the number of octets decoded, or -1 if the input is not a valid encoding: it contains
     * EOS, or its padding is 8 bits or longer or not all ones (RFC 7541 section 5.2).
     */
    static int decode(byte[] in, int off, int len, byte[] out) {
        int[] t = TRANSITIONS;
        int state = 0;
        int n = 0;
        for (int i = off, end = off + len; i < end; i++) {
            int b = in[i] & 0xff;
            int e = t[(state << 4) | (b >>> 4)];
            out[n] = (byte) (e >>> SYMBOL_SHIFT);
            n += e >>> EMIT_SHIFT;
            e = t[((e & STATE_MASK) << 4) | (b & 0x0f)];
            out[n] = (byte) (e >>> SYMBOL_SHIFT);
            n += e >>> EMIT_SHIFT;
            state = e & STATE_MASK;
        }
        return ACCEPTING[state] ? n : -1;
    }
}
