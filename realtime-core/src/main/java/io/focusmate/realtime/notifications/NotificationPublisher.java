package io.focusmate.realtime.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.focusmate.realtime.internal.protocol.FrameSummary;
import io.focusmate.realtime.internal.protocol.Json;
import io.focusmate.realtime.protocol.Channels;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.PubSubException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The Java publish API for backends: it builds the seed's {@code notification} frame and publishes it to every
 * connection of one user on every instance, or to everyone. Frames to the notification channels go through the
 * {@link NotificationHistory}, which numbers and stores them so that reconnecting clients recover what they missed;
 * frames to other channels go straight to the {@link PubSub}. Thread-safe.
 *
 * <p>Each method throws {@link PubSubException} when the broker (or the history) did not take the message, so the
 * caller knows it was not sent. An idempotency key makes a retry safe: a second publication with the same key on the
 * same channel within the idempotency window is not sent again, and returns the first one's position.
 */
public final class NotificationPublisher {
    private final NotificationHistory history;
    private final PubSub pubSub;
    private final Clock clock;

    /** A publisher on this broker without history (frames are only published live), stamping from this clock. */
    public NotificationPublisher(PubSub pubSub, Clock clock) {
        this(NotificationHistory.liveOnly(pubSub), pubSub, clock);
    }

    /**
     * A publisher that numbers and stores the notification channels' frames in {@code history} (a backend's
     * {@code notificationHistory()}), and publishes other channels' frames on {@code pubSub}.
     */
    public NotificationPublisher(NotificationHistory history, PubSub pubSub, Clock clock) {
        this.history = history;
        this.pubSub = pubSub;
        this.clock = clock;
    }

    /** Publishes the notification to every connection of {@code userId}. */
    public Publication publishToUser(String userId, Notification notification) {
        return publishToUser(userId, notification, null);
    }

    /**
     * Publishes the notification to every connection of {@code userId}, once per idempotency key.
     *
     * @param idempotencyKey null, or 1 to 128 printable ASCII characters naming this publication
     */
    public Publication publishToUser(String userId, Notification notification, String idempotencyKey) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank");
        }
        return history.publish(Channels.user(userId), frame(notification), checkKey(idempotencyKey));
    }

    /** Publishes the notification to everyone connected (the broadcast channel). */
    public Publication broadcast(Notification notification) {
        return broadcast(notification, null);
    }

    /** Publishes the notification to everyone connected, once per idempotency key. */
    public Publication broadcast(Notification notification, String idempotencyKey) {
        return history.publish(Channels.BROADCAST, frame(notification), checkKey(idempotencyKey));
    }

    /** Publishes a ready-made server frame to any channel; see {@link #publishFrame(String, String, String)}. */
    public Publication publishFrame(String channel, String frame) {
        return publishFrame(channel, frame, null);
    }

    /**
     * Publishes a ready-made server frame to any channel: through the history for a notification channel (the
     * idempotency key applies there), straight to the broker for any other (no position).
     *
     * @throws IllegalArgumentException when the frame is not a JSON object with a string {@code type} (gateways would
     *     drop it), or when it already has a top-level {@code offset} (the history adds it)
     */
    public Publication publishFrame(String channel, String frame, String idempotencyKey) {
        FrameSummary summary = FrameSummary.parse(frame);
        if (summary == null) {
            throw new IllegalArgumentException("a frame must be a JSON object with a string \"type\"");
        }
        if (!Channels.isNotification(channel)) {
            pubSub.publish(channel, frame);
            return new Publication(channel, null, frame, false);
        }
        if (summary.offset() >= 0 || summary.channel() != null || summary.epoch() != null) {
            throw new IllegalArgumentException("a notification frame must not have top-level channel, offset or "
                    + "epoch members: the history adds them");
        }
        return history.publish(channel, frame, checkKey(idempotencyKey));
    }

    private static String checkKey(String key) {
        if (key != null && (key.isEmpty() || key.length() > 128 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException("an idempotency key is 1 to 128 printable ASCII characters, no spaces");
        }
        return key;
    }

    /** The {@code {"type":"notification","data":{...}}} frame, with the id and time filled when missing. */
    public String frame(Notification n) {
        Instant created = n.createdAt() != null ? n.createdAt() : clock.instant();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("type", "notification");
        ObjectNode data = root.putObject("data");
        data.put("notification_id", n.notificationId() != null ? n.notificationId() : "notif-" + UUID.randomUUID());
        data.put("type", n.type());
        data.put("title", n.title());
        data.put("message", n.message());
        data.set("data", Json.MAPPER.valueToTree(n.data()));
        data.put("created_at", created.truncatedTo(ChronoUnit.SECONDS).toString());
        root.put("ts", clock.millis());
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the notification data cannot be written as JSON", e);
        }
    }
}
