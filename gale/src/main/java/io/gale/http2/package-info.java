/**
 * HTTP/2 codec groundwork (internal, not exported): HPACK (RFC 7541) and the frame layer of
 * RFC 9113. Nothing here touches a socket: the parser consumes the bytes a connection read, the
 * writer and encoder produce the bytes it writes. The connection that drives them (stream states,
 * flow-control windows, the exchange per stream) comes later and lives in this package too.
 *
 * <ul>
 * <li>{@link io.gale.http2.Http2FrameParser}: incremental frame parser over the loop's read buffers;
 *     payloads come out as slices of the caller's buffer.</li>
 * <li>{@link io.gale.http2.Http2FrameWriter}: frame encoding.</li>
 * <li>{@link io.gale.http2.HpackDecoder} / {@link io.gale.http2.HpackEncoder}: field block coding with
 *     the static and dynamic tables and Huffman coding ({@link io.gale.http2.HpackHuffman}).</li>
 * <li>{@link io.gale.http2.Http2Limits}: every limit in one table; {@link io.gale.http2.Http2Settings}:
 *     SETTINGS parameters and their validity rules; {@link io.gale.http2.Http2Error}: protocol
 *     errors as values, each with its RFC 9113 error code and scope (connection or stream).</li>
 * </ul>
 */
package io.gale.http2;
