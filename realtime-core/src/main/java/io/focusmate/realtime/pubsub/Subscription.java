package io.focusmate.realtime.pubsub;

import java.util.concurrent.CompletableFuture;

/** One listener's subscription to one channel. Thread-safe; {@link #close()} is idempotent. */
public interface Subscription extends AutoCloseable {
    /** The channel. */
    String channel();

    /** Completes when the broker has confirmed the subscription; never completes exceptionally. */
    CompletableFuture<Void> ready();

    /** Removes the listener. The broker subscription goes away with the channel's last listener. */
    @Override
    void close();
}
