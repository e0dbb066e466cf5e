/** Buffered non-blocking socket streams and their TLS variant (Tornado's {@code iostream}). */
package io.gale.iostream;
