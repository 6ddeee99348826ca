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
 * The Java publish API for backends: it builds the seed's {@code notification} frame and publishes it through the
 * {@link PubSub}, to every connection of one user on every instance, or to everyone. Thread-safe.
 *
 * <p>Delivery is the broker's: at most once, in order per channel. Each method throws {@link PubSubException} when
 * the broker did not take the message, so the caller knows it was not sent.
 */
public final class NotificationPublisher {
    private final PubSub pubSub;
    private final Clock clock;

    /** A publisher on this broker, stamping {@code created_at} from this clock. */
    public NotificationPublisher(PubSub pubSub, Clock clock) {
        this.pubSub = pubSub;
        this.clock = clock;
    }

    /** Publishes the notification to every connection of {@code userId}; returns the frame that was sent. */
    public String publishToUser(String userId, Notification notification) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank");
        }
        String frame = frame(notification);
        pubSub.publish(Channels.user(userId), frame);
        return frame;
    }

    /** Publishes the notification to everyone connected (the broadcast channel); returns the frame sent. */
    public String broadcast(Notification notification) {
        String frame = frame(notification);
        pubSub.publish(Channels.BROADCAST, frame);
        return frame;
    }

    /**
     * Publishes a ready-made server frame to any channel.
     *
     * @throws IllegalArgumentException when the frame is not a JSON object with a string {@code type} (gateways would
     *     drop it)
     */
    public void publishFrame(String channel, String frame) {
        if (!FrameSummary.isServerFrame(frame)) {
            throw new IllegalArgumentException("a frame must be a JSON object with a string \"type\"");
        }
        pubSub.publish(channel, frame);
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
