package io.focusmate.realtime.rooms;

import com.fasterxml.jackson.core.JsonGenerator;
import io.focusmate.realtime.internal.protocol.Json;
import java.io.IOException;

/** Encoders of the room endpoint's server frames ({@code docs/protocol.md}, rooms). */
final class RoomFrames {
    private RoomFrames() {
    }

    /** {@code room_state}: the first frame after a join. */
    static String roomState(String roomId, Presence presence, TimerState timer, RoomSettings settings,
                                   long version, long now) {
        return Json.frame("room_state", gen -> {
            gen.writeStringField("room_id", roomId);
            gen.writeArrayFieldStart("participants");
            for (String user : presence.userIds()) {
                gen.writeStartObject();
                gen.writeStringField("user_id", user);
                gen.writeEndObject();
            }
            gen.writeEndArray();
            gen.writeNumberField("participant_count", presence.count());
            gen.writeObjectFieldStart("timer");
            timerFields(gen, timer, now);
            gen.writeEndObject();
            gen.writeFieldName("settings");
            gen.writeRawValue(settings.json());
            gen.writeNumberField("version", version);
            gen.writeNumberField("server_time", now);
        });
    }

    /** {@code participant_joined} or {@code participant_left}: {@code count} is the participants after it. */
    static String participant(String type, String roomId, String userId, long version, int count) {
        return Json.frame(type, gen -> {
            gen.writeStringField("room_id", roomId);
            gen.writeStringField("user_id", userId);
            gen.writeNumberField("version", version);
            gen.writeNumberField("count", count);
        });
    }

    /** {@code participant_count}: how many are in a large room, at the room's {@code version}. */
    static String participantCount(String roomId, int count, long version) {
        return Json.frame("participant_count", gen -> {
            gen.writeStringField("room_id", roomId);
            gen.writeNumberField("count", count);
            gen.writeNumberField("version", version);
        });
    }

    /** {@code timer_updated}, with the remaining time computed at {@code now}. */
    static String timerUpdated(String roomId, TimerState timer, long now) {
        return Json.frame("timer_updated", gen -> {
            gen.writeStringField("room_id", roomId);
            timerFields(gen, timer, now);
        });
    }

    /** {@code settings_updated}. */
    static String settingsUpdated(String roomId, RoomSettings settings) {
        return Json.frame("settings_updated", gen -> {
            gen.writeStringField("room_id", roomId);
            gen.writeFieldName("settings");
            gen.writeRawValue(settings.json());
            gen.writeNumberField("version", settings.version());
            gen.writeStringField("updated_by", settings.updatedBy());
        });
    }

    private static void timerFields(JsonGenerator gen, TimerState timer, long now) throws IOException {
        gen.writeStringField("status", timer.status());
        gen.writeNumberField("duration_s", timer.durationMs() / 1000);
        gen.writeNumberField("remaining_ms", timer.remainingAt(now));
        if (TimerState.RUNNING.equals(timer.status())) {
            gen.writeNumberField("ends_at", timer.endsAt());
        } else {
            gen.writeNullField("ends_at");
        }
        gen.writeNumberField("server_time", now);
        gen.writeNumberField("version", timer.version());
        gen.writeStringField("updated_by", timer.updatedBy());
    }
}
