package io.focusmate.realtime;

import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.limits.UserLimits;
import io.focusmate.realtime.notifications.NotificationHistory;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.rooms.RoomStore;

/**
 * The shared state of a deployment in one object: the broker, the room and chat stores and the per-user limits
 * that every gateway instance of it uses, on one connection (pool). {@link InMemoryBackend} serves one process;
 * {@code RedisBackend} (module {@code realtime-redis}) serves many instances. Hand it to
 * {@link Gateway.Builder#backend}. Thread-safe.
 */
public interface Backend extends AutoCloseable {

    /** A short name for health answers and logs, such as {@code memory} or {@code redis}. */
    String name();

    /** The broker. */
    PubSub pubSub();

    /** The room state. */
    RoomStore roomStore();

    /** The chat state. */
    ChatStore chatStore();

    /**
     * The per-user limits: connections per user and the chat message rate, counted on every instance of the
     * deployment (per process for {@link InMemoryBackend}).
     */
    UserLimits userLimits();

    /**
     * The notification channels' history, which numbers, stores and publishes their frames so that reconnecting
     * clients can recover what they missed. By default none: frames are only published live on {@link #pubSub()},
     * and recovering clients are told {@code recovered: false}.
     */
    default NotificationHistory notificationHistory() {
        return NotificationHistory.liveOnly(pubSub());
    }

    /** Stops the broker and releases the connections; after the gateways that use it are closed. Idempotent. */
    @Override
    void close();
}
