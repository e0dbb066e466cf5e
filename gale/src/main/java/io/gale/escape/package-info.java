/**
 * Escaping for HTML, URLs and JSON, and linkify: Tornado's {@code tornado.escape} as
 * {@link io.gale.escape.Escape}.
 */
package io.gale.escape;
