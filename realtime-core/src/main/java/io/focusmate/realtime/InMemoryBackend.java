package io.focusmate.realtime;

import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.chat.InMemoryChatStore;
import io.focusmate.realtime.limits.InMemoryUserLimits;
import io.focusmate.realtime.limits.UserLimits;
import io.focusmate.realtime.notifications.HistorySettings;
import io.focusmate.realtime.notifications.InMemoryNotificationHistory;
import io.focusmate.realtime.notifications.NotificationHistory;
import io.focusmate.realtime.pubsub.InMemoryPubSub;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.rooms.InMemoryRoomStore;
import io.focusmate.realtime.rooms.RoomStore;
import java.time.Clock;

/**
 * A {@link Backend} inside one process: an {@link InMemoryPubSub}, in-memory room and chat stores and
 * {@link InMemoryUserLimits} (the connection and chat rate limits count this process only), and an
 * {@link InMemoryNotificationHistory}. For a single gateway
 * instance, development and tests; nothing survives a restart. Thread-safe.
 */
public final class InMemoryBackend implements Backend {
    private final InMemoryPubSub pubSub = new InMemoryPubSub();
    private final InMemoryRoomStore rooms = new InMemoryRoomStore();
    private final InMemoryChatStore chats;
    private final InMemoryUserLimits limits = new InMemoryUserLimits();
    private final InMemoryNotificationHistory history;

    /** A backend that keeps the newest 1,000 chat messages per room and the default notification history. */
    public InMemoryBackend() {
        this(1000);
    }

    /** A backend that keeps the newest {@code chatHistorySize} chat messages per room (at least 1). */
    public InMemoryBackend(int chatHistorySize) {
        this(chatHistorySize, HistorySettings.DEFAULTS, Clock.systemUTC());
    }

    /**
     * A backend with these chat and notification histories, on this clock (the notification history's TTLs follow
     * it).
     */
    public InMemoryBackend(int chatHistorySize, HistorySettings notificationHistory, Clock clock) {
        this.chats = new InMemoryChatStore(pubSub, chatHistorySize);
        this.history = new InMemoryNotificationHistory(pubSub, notificationHistory, clock);
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public PubSub pubSub() {
        return pubSub;
    }

    @Override
    public RoomStore roomStore() {
        return rooms;
    }

    @Override
    public ChatStore chatStore() {
        return chats;
    }

    @Override
    public UserLimits userLimits() {
        return limits;
    }

    @Override
    public NotificationHistory notificationHistory() {
        return history;
    }

    @Override
    public void close() {
        pubSub.close();
    }
}
