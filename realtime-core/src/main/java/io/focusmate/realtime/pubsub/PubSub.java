package io.focusmate.realtime.pubsub;

/**
 * A channel broker that fans messages out to every subscriber, in this process or (with Redis) in every gateway
 * instance.
 *
 * <h2>Delivery guarantee</h2>
 * <ul>
 *   <li><b>At most once.</b> A message published while a subscriber's link to the broker is down is lost for that
 *       subscriber. Nothing is redelivered. Use a stream where history matters.</li>
 *   <li><b>Ordered per channel.</b> Every listener of a channel receives that channel's messages in one order, the
 *       order in which the broker accepted them.</li>
 *   <li><b>Subscribed means subscribed.</b> Once {@link Subscription#ready()} completes, every message published to
 *       the channel afterwards reaches the listener (while the link stays up).</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. Listeners are called on the implementation's single delivery thread, one message at
 * a time; a listener must return quickly and must not block (hand work to a queue). A listener that throws is
 * logged and does not stop delivery to others.
 *
 * <p>Several listeners may subscribe to one channel. The implementation holds one broker subscription per channel
 * for all of them: it subscribes with the first listener and unsubscribes when the last one leaves.
 */
public interface PubSub extends AutoCloseable {

    /**
     * Publishes one message.
     *
     * @throws PubSubException when the broker did not accept it (down, overloaded, closed); the message was not sent
     */
    void publish(String channel, String payload);

    /**
     * Adds a listener to a channel. The returned subscription's {@link Subscription#ready()} completes when the
     * broker has confirmed the subscription; it stays pending while the broker is down and completes when the link
     * comes back.
     */
    Subscription subscribe(String channel, MessageListener listener);

    /** Whether the link to the broker is up. The in-memory broker is always up until closed. */
    boolean isConnected();

    /** The link's state for health checks; by default up while {@link #isConnected()}. */
    default BrokerHealth health() {
        return new BrokerHealth(isConnected() ? BrokerHealth.UP : "down", -1, -1);
    }

    /** Stops delivery and releases the broker link. Idempotent. */
    @Override
    void close();
}
