/**
 * Publish/subscribe across loops and processes: {@link io.gale.pubsub.PubSub} with an in-process
 * implementation (one JVM) and brokers (Redis pub/sub over Gale's own RESP client, NATS over
 * {@code io.nats:jnats}). Messages reach a subscriber's callback on its {@link io.gale.ioloop.IOLoop}
 * through a bounded queue ({@link io.gale.pubsub.PubSubLimits}).
 */
package io.gale.pubsub;
