package io.focusmate.realtime;

import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.rooms.RoomStore;

/**
 * The shared state of a deployment in one object: the broker and the room and chat stores that every gateway
 * instance of it uses, on one connection (pool). {@link InMemoryBackend} serves one process;
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

    /** Stops the broker and releases the connections; after the gateways that use it are closed. Idempotent. */
    @Override
    void close();
}
