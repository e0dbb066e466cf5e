/**
 * Internal, not exported: text rules several packages share, such as Python's idea of
 * whitespace ({@link io.gale.internal.text.PyStrings}). Public only so that those packages can
 * reach them.
 */
package io.gale.internal.text;
