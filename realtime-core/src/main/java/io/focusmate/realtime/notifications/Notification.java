package io.focusmate.realtime.notifications;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A notification as the seed defines it (section 3.2). Immutable; build it with {@link #builder(String)}.
 *
 * @param notificationId a unique id; the builder fills a random one
 * @param type the kind of notification, such as {@code friend_request}
 * @param title the headline
 * @param message the body text
 * @param data extra JSON data, such as {@code routing}; never null
 * @param createdAt when it was created; the builder fills the publisher's clock time
 */
public record Notification(String notificationId, String type, String title, String message,
                           Map<String, Object> data, Instant createdAt) {

    /** Checks the required fields. */
    public Notification {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(message, "message");
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** A builder for a notification of the given type. */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    /** Builds a {@link Notification}; not thread-safe. */
    public static final class Builder {
        /** Owned by the building thread, as are all fields below. */
        private final String type;
        private String notificationId;
        private String title = "";
        private String message = "";
        private final Map<String, Object> data = new LinkedHashMap<>();
        private Instant createdAt;

        private Builder(String type) {
            this.type = type;
        }

        /** The id; a random {@code notif-<uuid>} when not set. */
        public Builder id(String value) {
            this.notificationId = value;
            return this;
        }

        /** The headline. */
        public Builder title(String value) {
            this.title = value;
            return this;
        }

        /** The body text. */
        public Builder message(String value) {
            this.message = value;
            return this;
        }

        /** Sets {@code data.routing} to {@code {"type":..., "path":..., "params":{...}}}, as the seed does. */
        public Builder routing(String routingType, String path, Map<String, ?> params) {
            Map<String, Object> routing = new LinkedHashMap<>();
            routing.put("type", routingType);
            routing.put("path", path);
            routing.put("params", params == null ? Map.of() : params);
            data.put("routing", routing);
            return this;
        }

        /** Puts one member of {@code data}; values are serialised with Jackson. */
        public Builder data(String key, Object value) {
            data.put(key, value);
            return this;
        }

        /** The creation time; the publisher's clock time when not set. */
        public Builder createdAt(Instant value) {
            this.createdAt = value;
            return this;
        }

        /** Builds the notification; the id and time stay null here and are filled by the publisher. */
        public Notification build() {
            return new Notification(notificationId, type, title, message, data, createdAt);
        }
    }
}
