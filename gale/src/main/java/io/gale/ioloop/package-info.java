/** The event loop: {@link io.gale.ioloop.IOLoop}, {@link io.gale.ioloop.LoopGroup}, timers and periodic callbacks (Tornado's {@code ioloop}). */
package io.gale.ioloop;
