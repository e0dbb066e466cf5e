package io.gale.locale;

/**
 * What {@code io.gale.locale} refuses, in one table. Translation files are the application's
 * own, so their limits only keep a broken or hostile file from exhausting memory; the
 * {@code Accept-Language} limits guard every request against a hostile client.
 *
 * <table>
 * <caption>Limits</caption>
 * <tr><th>limit</th><th>value</th><th>where it comes from</th><th>when exceeded</th></tr>
 * <tr><td>{@link #MAX_FILE_BYTES}</td><td>32 MiB</td><td>ours (a catalogue of 100,000 messages is
 *     a few MiB)</td><td>the file is refused like a malformed one</td></tr>
 * <tr><td>{@link #MAX_PLURAL_EXPRESSION_LENGTH}</td><td>1,000 characters</td><td>Python's
 *     {@code gettext.c2py}</td><td>the catalogue is refused</td></tr>
 * <tr><td>{@link #MAX_PLURAL_EXPRESSION_DEPTH}</td><td>20 nested parentheses, {@code ?:} or
 *     {@code !}</td><td>Python's {@code gettext.c2py} (20 parentheses); real rules nest at most
 *     6</td><td>the catalogue is refused</td></tr>
 * <tr><td>{@link #MAX_ACCEPT_LANGUAGE_RANGES}</td><td>100 language ranges</td><td>ours (browsers
 *     send fewer than 20)</td><td>later ranges are ignored</td></tr>
 * <tr><td>{@link #MAX_LANGUAGE_TAG_LENGTH}</td><td>64 characters</td><td>ours (RFC 5646 section
 *     4.4.1 asks implementations for at least 35)</td><td>the range is ignored</td></tr>
 * </table>
 *
 * <p>Within these limits the {@code Accept-Language} parser does work linear in the header's
 * length (itself bounded by the server's header-size limit) and allocates at most one short
 * string per range it looks up.
 */
final class LocaleLimits {
    static final int MAX_FILE_BYTES = 32 * 1024 * 1024;
    static final int MAX_PLURAL_EXPRESSION_LENGTH = 1000;
    static final int MAX_PLURAL_EXPRESSION_DEPTH = 20;
    static final int MAX_ACCEPT_LANGUAGE_RANGES = 100;
    static final int MAX_LANGUAGE_TAG_LENGTH = 64;

    private LocaleLimits() {
    }
}
