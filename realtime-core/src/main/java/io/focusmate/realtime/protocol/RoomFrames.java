package io.focusmate.realtime.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import io.focusmate.realtime.room.Presence;
import io.focusmate.realtime.room.RoomSettings;
import io.focusmate.realtime.room.TimerState;
import java.io.IOException;

/** Encoders of the room endpoint's server frames ({@code docs/protocol.md}, rooms). */
public final class RoomFrames {
    private RoomFrames() {
    }

    /** {@code room_state}: the first frame after a join. */
    public static String roomState(String roomId, Presence presence, TimerState timer, RoomSettings settings,
                                   long version, long now) {
        return Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", "room_state");
            gen.writeObjectFieldStart("data");
            gen.writeStringField("room_id", roomId);
            gen.writeArrayFieldStart("participants");
            for (String user : presence.userIds()) {
                gen.writeStartObject();
                gen.writeStringField("user_id", user);
                gen.writeEndObject();
            }
            gen.writeEndArray();
            gen.writeFieldName("timer");
            timer(gen, timer, now);
            gen.writeFieldName("settings");
            gen.writeRawValue(settings.json());
            gen.writeNumberField("version", version);
            gen.writeNumberField("server_time", now);
            gen.writeEndObject();
            gen.writeEndObject();
        });
    }

    /** {@code participant_joined} or {@code participant_left}. */
    public static String participant(String type, String roomId, String userId, long version) {
        return Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", type);
            gen.writeObjectFieldStart("data");
            gen.writeStringField("room_id", roomId);
            gen.writeStringField("user_id", userId);
            gen.writeNumberField("version", version);
            gen.writeEndObject();
            gen.writeEndObject();
        });
    }

    /** {@code timer_updated}, with the remaining time computed at {@code now}. */
    public static String timerUpdated(String roomId, TimerState timer, long now) {
        return Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", "timer_updated");
            gen.writeFieldName("data");
            timer(gen, timer, now, roomId);
            gen.writeEndObject();
        });
    }

    /** {@code settings_updated}. */
    public static String settingsUpdated(String roomId, RoomSettings settings) {
        return Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", "settings_updated");
            gen.writeObjectFieldStart("data");
            gen.writeStringField("room_id", roomId);
            gen.writeFieldName("settings");
            gen.writeRawValue(settings.json());
            gen.writeNumberField("version", settings.version());
            gen.writeStringField("updated_by", settings.updatedBy());
            gen.writeEndObject();
            gen.writeEndObject();
        });
    }

    private static void timer(JsonGenerator gen, TimerState timer, long now) throws IOException {
        timer(gen, timer, now, null);
    }

    private static void timer(JsonGenerator gen, TimerState timer, long now, String roomId) throws IOException {
        gen.writeStartObject();
        if (roomId != null) {
            gen.writeStringField("room_id", roomId);
        }
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
        gen.writeEndObject();
    }
}
