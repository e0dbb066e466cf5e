/**
 * Command-line options (Tornado's {@code tornado.options}): {@link io.gale.options.Options}
 * (the process-wide set), {@link io.gale.options.OptionParser} (a set of one's own),
 * {@link io.gale.options.Option} (one option and its value) and {@link io.gale.options.Define}
 * (options as annotated static fields). Values come from the command line, environment
 * variables and configuration files; usage errors end the program with a one-line message and
 * exit status 2.
 */
package io.gale.options;
