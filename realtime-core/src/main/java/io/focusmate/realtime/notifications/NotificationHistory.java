package io.focusmate.realtime.notifications;

import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.PubSubException;

/**
 * The recent publications of the notification channels ({@code notifications:user:{id}} and
 * {@code notifications:broadcast}), numbered so that a reconnecting client gets what it missed. SPI: a backend
 * provides one ({@code InMemoryNotificationHistory}, {@code RedisNotificationHistory}); the compatibility kit
 * {@code NotificationHistoryContractTest} (realtime-testkit) pins the contract.
 *
 * <p>The contract:
 * <ul>
 *   <li>{@link #publish} numbers, stores and publishes in one atomic step: offsets go 1, 2, 3, ... with no gap, and
 *   subscribers receive the publications of a channel in offset order, whichever instance published them.</li>
 *   <li>A history keeps at most its size of publications, for at most its TTL after the last one. Its epoch and last
 *   offset live longer (the metadata TTL), so that a quiet channel keeps its epoch. A history that is lost entirely
 *   starts a new epoch at offset 1.</li>
 *   <li>A publication with an idempotency key seen on the same channel within the idempotency window is not
 *   published again; the first one's position comes back, marked {@link Publication#duplicate()}.</li>
 * </ul>
 *
 * <p>Thread-safe. Calls may block on the network (a Redis round trip): call them off the container threads.
 */
public interface NotificationHistory {
    /**
     * No history: frames are published live on {@code pubSub}, unchanged and without a position, and every recovering
     * client is told {@code recovered: false}.
     */
    static NotificationHistory liveOnly(PubSub pubSub) {
        return new InMemoryNotificationHistory(pubSub, HistorySettings.OFF, java.time.Clock.systemUTC());
    }

    /**
     * Numbers, stores and publishes a frame on a notification channel.
     *
     * @param channel the logical channel
     * @param frame a server frame (a JSON object with a string {@code type}) without {@code channel}, {@code offset}
     *     or {@code epoch} members
     * @param idempotencyKey null, or 1 to 128 printable ASCII characters that identify this publication
     * @return where it landed, and the frame as delivered
     * @throws PubSubException when it was not stored and published
     */
    Publication publish(String channel, String frame, String idempotencyKey);

    /**
     * The channel's current position, creating its epoch at offset 0 when it has no history, and, when
     * {@code since} is given, what came after it. Recovered is true only when {@code since} is in the current epoch,
     * not ahead of the last offset, and every publication after it is still kept and at most {@code maxFrames} of
     * them.
     *
     * @param since the client's position, or null (a first connect)
     * @throws PubSubException when the history could not be read
     */
    Recovery recover(String channel, StreamPosition since, int maxFrames);
}
