/**
 * Dev mode (Tornado's {@code tornado.autoreload}): {@link io.gale.autoreload.Autoreload} runs the
 * application in a child JVM behind a supervisor that owns its ports, and replaces the child when
 * the build writes new classes, without refusing a connection; {@link
 * io.gale.autoreload.AutoreloadOptions} holds what is watched and the time limits. The
 * {@code autoreload} setting of {@link io.gale.web.ApplicationSettings} (implied by
 * {@code debug}) turns it on from {@code Application.listen}.
 */
package io.gale.autoreload;
