package io.gale.template;

import java.io.Writer;

/** A {@link Writer} into a StringBuilder: unsynchronised, unlike {@code StringWriter}. One thread only. */
final class StringBuilderWriter extends Writer {
    private final StringBuilder sb;

    StringBuilderWriter() {
        this(1024);
    }

    StringBuilderWriter(int capacity) {
        sb = new StringBuilder(capacity);
    }

    /** The number of characters written. */
    int length() {
        return sb.length();
    }

    @Override
    public void write(int c) {
        sb.append((char) c);
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
        sb.append(cbuf, off, len);
    }

    @Override
    public void write(String str) {
        sb.append(str);
    }

    @Override
    public void write(String str, int off, int len) {
        sb.append(str, off, off + len);
    }

    @Override
    public Writer append(CharSequence csq) {
        sb.append(csq);
        return this;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
