package io.gale.demos.blog;

/**
 * What the blog refuses, in one table. Text lengths are counted in UTF-16 units
 * ({@code String.length()}), which is never less than PostgreSQL's and H2's character counts, so
 * a value that passes fits its column on both databases.
 *
 * <table>
 * <caption>Limits</caption>
 * <tr><th>limit</th><th>default</th><th>checked</th><th>answer</th></tr>
 * <tr><td>{@code maxBodySize}: bytes of a request body (the application's {@code maxBodySize})</td>
 *     <td>1 MiB</td><td>on {@code Content-Length} before the body is read, or as a chunked body
 *     arrives</td><td>413, nothing stored</td></tr>
 * <tr><td>{@code maxMarkdownChars}: an entry's Markdown</td><td>200,000</td><td>on compose</td>
 *     <td>400 with the form again (the text kept)</td></tr>
 * <tr><td>{@code maxTitleChars}: an entry's title</td><td>512 (the column, as Tornado's schema)</td>
 *     <td>on compose</td><td>400 with the form again</td></tr>
 * <tr><td>{@code maxNameChars}: an author's e-mail address and name</td><td>100 (the columns)</td>
 *     <td>on {@code /auth/create} and login</td><td>400</td></tr>
 * <tr><td>{@code minPasswordChars} / {@code maxPasswordChars}</td><td>8 / 1,024</td>
 *     <td>on {@code /auth/create} (and login: a longer one is refused before any hashing)</td><td>400</td></tr>
 * <tr><td>slug</td><td>80 characters before a {@code -N} suffix ({@link Slugs})</td>
 *     <td>when an entry is created</td><td>cut, never refused</td></tr>
 * </table>
 *
 * @param maxBodySize most bytes of a request body; positive
 * @param maxMarkdownChars most characters of an entry's Markdown; positive
 * @param maxTitleChars most characters of a title; 1 to 512
 * @param maxNameChars most characters of an e-mail address or an author's name; 1 to 100
 * @param minPasswordChars fewest characters of a new password; positive
 * @param maxPasswordChars most characters of a password; at least {@code minPasswordChars}
 */
record BlogLimits(long maxBodySize, int maxMarkdownChars, int maxTitleChars, int maxNameChars,
                  int minPasswordChars, int maxPasswordChars) {
    static final BlogLimits DEFAULTS = new BlogLimits(1 << 20, 200_000, 512, 100, 8, 1024);

    BlogLimits {
        if (maxBodySize <= 0 || maxMarkdownChars <= 0 || maxTitleChars <= 0 || maxTitleChars > 512
                || maxNameChars <= 0 || maxNameChars > 100 || minPasswordChars <= 0
                || maxPasswordChars < minPasswordChars) {
            throw new IllegalArgumentException("blog limits out of range: " + maxBodySize + ", " + maxMarkdownChars
                    + ", " + maxTitleChars + ", " + maxNameChars + ", " + minPasswordChars + ", " + maxPasswordChars);
        }
    }
}
