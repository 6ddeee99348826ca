package io.focusmate.realtime.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.focusmate.realtime.client.RoomState;
import io.focusmate.realtime.client.RoomTimer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A room's state on the client, by the version rules of docs/protocol.md section 14: a {@code room_state} replaces
 * everything and sets the floors; a timer or settings event applies only above the last applied version of its kind,
 * a presence event only above the last one seen for that user, a count only above the newest count. Also the offset
 * between the gateway's clock and the local one, from each applied timer's {@code server_time}. Written by one thread
 * (the client's event thread); {@link #room()} and {@link #remainingAt} may be called by any.
 */
public final class RoomBook {
    /** Written on the event thread only; read by any thread. Null before the first {@code room_state}. */
    private volatile RoomState room;
    /** Written on the event thread only; read by any thread: gateway clock minus local clock, in ms. */
    private volatile long offsetMillis;
    /** Event thread only: the version of the applied timer. */
    private long timerVersion;
    /** Event thread only: the version of the applied settings. */
    private long settingsVersion;
    /** Event thread only: the version of the applied participant count. */
    private long countVersion;
    /** Event thread only: the {@code room_state}'s version, below which no presence event applies. */
    private long floor;
    /** Event thread only: user id to the version of the last presence event applied for them (kept after a leave). */
    private final Map<String, Long> seen = new HashMap<>();
    /** Event thread only: the users present, sorted. */
    private final TreeSet<String> present = new TreeSet<>();

    /** The room as last applied, or {@code null} before the first {@code room_state}. */
    public RoomState room() {
        return room;
    }

    /** The gateway's clock at local time {@code localNow} (epoch ms), as estimated. */
    public long serverTimeAt(long localNow) {
        return localNow + offsetMillis;
    }

    /** What is left of the timer at local time {@code localNow}; 0 before the first {@code room_state}. */
    public long remainingAt(long localNow) {
        RoomState now = room;
        return now == null ? 0 : now.timer().remainingAt(serverTimeAt(localNow));
    }

    /**
     * Applies a room frame's {@code data}, received at local time {@code receivedAt} (epoch ms). Returns whether it
     * changed the room: false for a stale event, an event before the first {@code room_state}, or an unknown type.
     */
    public boolean apply(String type, JsonNode data, long receivedAt) {
        if (type.equals("room_state")) {
            replace(data, receivedAt);
            return true;
        }
        RoomState now = room;
        long version = data.path("version").asLong();
        if (now == null) {
            return false;
        }
        switch (type) {
            case "timer_updated" -> {
                if (version <= timerVersion) {
                    return false;
                }
                timerVersion = version;
                offsetMillis = data.path("server_time").asLong() - receivedAt;
                set(now, now.participants(), now.participantCount(), timer(data), now.settings(), version);
            }
            case "settings_updated" -> {
                if (version <= settingsVersion || !data.path("settings").isObject()) {
                    return false;
                }
                settingsVersion = version;
                set(now, now.participants(), now.participantCount(), now.timer(), settings(data), version);
            }
            case "participant_joined", "participant_left", "participant_count" -> {
                return presence(type, data, version, now);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void replace(JsonNode data, long receivedAt) {
        JsonNode timer = data.path("timer");
        floor = data.path("version").asLong();
        timerVersion = Math.max(floor, timer.path("version").asLong());
        settingsVersion = floor;
        countVersion = floor;
        seen.clear();
        present.clear();
        data.path("participants").forEach(p -> present.add(p.path("user_id").asText()));
        offsetMillis = timer.path("server_time").asLong(data.path("server_time").asLong()) - receivedAt;
        room = new RoomState(data.path("room_id").asText(), List.copyOf(present),
                data.path("participant_count").asInt(present.size()), timer(timer), settings(data), floor);
    }

    private boolean presence(String type, JsonNode data, long version, RoomState now) {
        boolean changed = false;
        if (!type.equals("participant_count")) {
            String user = data.path("user_id").asText();
            if (version > seen.getOrDefault(user, floor)) {
                seen.put(user, version);
                if (type.equals("participant_joined")) {
                    present.add(user);
                } else {
                    present.remove(user); // a user never listed (left before this client came) is ignored
                }
                changed = true;
            }
        }
        int count = now.participantCount();
        if (version > countVersion && data.path("count").canConvertToInt()) {
            countVersion = version;
            count = data.path("count").asInt();
            changed = true;
        }
        if (changed) {
            set(now, List.copyOf(present), count, now.timer(), now.settings(), version);
        }
        return changed;
    }

    private void set(RoomState now, List<String> participants, int count, RoomTimer timer, ObjectNode settings,
                     long version) {
        room = new RoomState(now.roomId(), participants, count, timer, settings, Math.max(now.version(), version));
    }

    private static RoomTimer timer(JsonNode t) {
        JsonNode endsAt = t.path("ends_at");
        JsonNode updatedBy = t.path("updated_by");
        return new RoomTimer(t.path("status").asText("idle"), t.path("duration_s").asLong(),
                t.path("remaining_ms").asLong(), endsAt.canConvertToLong() ? endsAt.asLong() : null,
                t.path("server_time").asLong(), t.path("version").asLong(),
                updatedBy.isTextual() ? updatedBy.asText() : null);
    }

    private static ObjectNode settings(JsonNode data) {
        JsonNode settings = data.path("settings");
        return settings.isObject() ? ((ObjectNode) settings).deepCopy() : ClientContext.JSON.createObjectNode();
    }
}
