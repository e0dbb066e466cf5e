/** Future helpers, coroutines on virtual threads, async locks and queues (Tornado's {@code gen}, {@code concurrent}, {@code locks}, {@code queues}). */
package io.gale.concurrent;
