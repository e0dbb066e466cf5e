package io.gale.demos.fileupload;

/**
 * What the upload server refuses, in one table. Immutable.
 *
 * <table>
 * <caption>Limits</caption>
 * <tr><th>limit</th><th>default</th><th>checked</th><th>answer</th></tr>
 * <tr><td>{@code maxBodySize}: bytes of one request body (a PUT's file, or a whole multipart
 *     body with every file and its part headers)</td>
 *     <td>4 GiB ({@code --max-size})</td>
 *     <td>on {@code Content-Length} in {@code prepare()}, before the body is read (a client that
 *     sent {@code Expect: 100-continue} never gets its 100); for a chunked body, as it
 *     arrives</td>
 *     <td>413; nothing is stored, the connection closes</td></tr>
 * <tr><td>{@code maxFiles}: parts of one multipart body</td><td>100 (Tornado's
 *     {@code max_parts})</td><td>as the parts arrive</td><td>400; nothing is stored</td></tr>
 * <tr><td>part header block</td><td>10 KiB ({@code FormLimits.DEFAULTS})</td>
 *     <td>as it arrives</td><td>400; nothing is stored</td></tr>
 * <tr><td>file name</td><td>255 bytes of UTF-8 ({@link FileNames})</td><td>when stored</td>
 *     <td>cut, never refused</td></tr>
 * </table>
 *
 * <p>The server's connection-level body limit ({@code Http1ParserLimits.maxBodySize}) is lifted
 * for this demo ({@link FileUploadDemo#serverOptions}): the handlers enforce {@code maxBodySize},
 * so the rule lives in one place.
 *
 * @param maxBodySize most bytes of one request body; positive
 * @param maxFiles most parts of one multipart body; positive
 */
record UploadLimits(long maxBodySize, int maxFiles) {
    /** 4 GiB and 100 parts. */
    static final UploadLimits DEFAULTS = new UploadLimits(4L << 30, 100);

    UploadLimits {
        if (maxBodySize <= 0 || maxFiles <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxBodySize + ", " + maxFiles);
        }
    }

    UploadLimits withMaxBodySize(long bytes) {
        return new UploadLimits(bytes, maxFiles);
    }
}
