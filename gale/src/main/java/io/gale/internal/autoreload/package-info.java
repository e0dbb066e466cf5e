/**
 * Internal, not exported: the child side of dev mode, which Gale's own servers use
 * ({@link io.gale.internal.autoreload.ChildLink}: forwarded listening sockets, draining on
 * replacement), the child JVM's entry point ({@link io.gale.internal.autoreload.ChildMain}) and
 * the supervisor-child message format ({@link io.gale.internal.autoreload.LinkMessage}, one
 * place for both sides). Applications use {@code io.gale.autoreload}.
 */
package io.gale.internal.autoreload;
