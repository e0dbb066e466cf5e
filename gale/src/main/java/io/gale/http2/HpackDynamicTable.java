package io.gale.http2;

/**
 * The HPACK dynamic table (RFC 7541 section 2.3.2 and 4): a FIFO of fields, newest first, whose
 * size (name + value + 32 octets per entry, section 4.1) never exceeds the capacity. Used by the
 * decoder and, separately, by the encoder of each connection.
 *
 * <p>Storage is a ring of parallel name/value arrays (power-of-two length, grown on demand up to
 * capacity / 32 entries), so adding and evicting allocate nothing once it has grown. Lookups for
 * the encoder scan the entries: a table of 4 KiB holds at most 128 of them and in practice a few
 * dozen, and the names are mostly the very same String instances ({@link Http2Names}), so
 * {@code equals} usually decides on identity or length.
 *
 * <p>Names and values are ISO-8859-1 strings: one char per octet, so {@code length()} is the
 * octet count the size rule needs.
 *
 * <p>Not thread-safe: owned by one connection.
 */
final class HpackDynamicTable {
    /** Per-entry overhead of RFC 7541 section 4.1. */
    static final int ENTRY_OVERHEAD = 32;

    private String[] names = new String[8];
    private String[] values = new String[8];
    /** Slot of the oldest entry. */
    private int tail;
    private int count;
    private long size;
    private long capacity;

    HpackDynamicTable(long capacity) {
        this.capacity = capacity;
    }

    /** The size of an entry: octets of name and value plus 32 (RFC 7541 section 4.1). */
    static long entrySize(String name, String value) {
        return (long) name.length() + value.length() + ENTRY_OVERHEAD;
    }

    /** Number of entries. */
    int length() {
        return count;
    }

    /** Sum of the entry sizes. */
    long size() {
        return size;
    }

    /** Maximum size. */
    long capacity() {
        return capacity;
    }

    /** Name of entry {@code i}: 1 is the newest, {@link #length()} the oldest. */
    String name(int i) {
        return names[slot(i)];
    }

    /** Value of entry {@code i}: 1 is the newest. */
    String value(int i) {
        return values[slot(i)];
    }

    private int slot(int i) {
        return (tail + count - i) & (names.length - 1);
    }

    /**
     * Adds a field as the newest entry, first evicting the oldest ones until it fits. An entry larger
     * than the capacity empties the table and is not added (section 4.4).
     */
    void add(String name, String value) {
        long s = entrySize(name, value);
        if (s > capacity) {
            clear();
            return;
        }
        while (size + s > capacity) {
            evictOldest();
        }
        if (count == names.length) {
            grow();
        }
        int slot = (tail + count) & (names.length - 1);
        names[slot] = name;
        values[slot] = value;
        count++;
        size += s;
    }

    /** Changes the capacity (a dynamic table size update, section 4.3), evicting what no longer fits. */
    void setCapacity(long capacity) {
        this.capacity = capacity;
        while (size > capacity) {
            evictOldest();
        }
    }

    /**
     * For the encoder, in one scan: the index (1 = newest) of the newest entry equal to (name, value);
     * otherwise minus the index of the newest entry named {@code name}; 0 if there is none.
     */
    int find(String name, String value) {
        int mask = names.length - 1;
        int named = 0;
        for (int i = 1; i <= count; i++) {
            int slot = (tail + count - i) & mask;
            if (names[slot].equals(name)) {
                if (values[slot].equals(value)) {
                    return i;
                }
                if (named == 0) {
                    named = i;
                }
            }
        }
        return -named;
    }

    private void evictOldest() {
        size -= entrySize(names[tail], values[tail]);
        names[tail] = null;
        values[tail] = null;
        tail = (tail + 1) & (names.length - 1);
        count--;
    }

    private void clear() {
        while (count > 0) {
            evictOldest();
        }
        tail = 0;
    }

    private void grow() {
        int n = names.length;
        String[] nn = new String[n * 2];
        String[] nv = new String[n * 2];
        for (int i = 0; i < count; i++) {
            nn[i] = names[(tail + i) & (n - 1)];
            nv[i] = values[(tail + i) & (n - 1)];
        }
        names = nn;
        values = nv;
        tail = 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            sb.append('[').append(i).append("] ").append(name(i)).append(": ").append(value(i)).append('\n');
        }
        return sb.append("size ").append(size).append('/').append(capacity).toString();
    }
}
