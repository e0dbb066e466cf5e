/** HTTP/1.1: headers, request and response model, codec, server connection, form, multipart and cookie parsing (Tornado's {@code httputil}, {@code http1connection}, {@code httpserver}). */
package io.gale.http;
