package io.focusmate.realtime.internal;

import io.focusmate.realtime.pubsub.BrokerHealth;
import io.focusmate.realtime.pubsub.MessageListener;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.pubsub.Subscription;

/** The gateway's view of its broker: the same, with refused publishes counted. */
final class MeteredPubSub implements PubSub {
    private final PubSub delegate;
    private final GatewayMetrics metrics;

    MeteredPubSub(PubSub delegate, GatewayMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public void publish(String channel, String payload) {
        try {
            delegate.publish(channel, payload);
        } catch (PubSubException e) {
            metrics.publishError();
            throw e;
        }
    }

    @Override
    public Subscription subscribe(String channel, MessageListener listener) {
        return delegate.subscribe(channel, listener);
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    @Override
    public BrokerHealth health() {
        return delegate.health();
    }

    /** The gateway does not own the broker: closing is the creator's. */
    @Override
    public void close() {
    }
}
