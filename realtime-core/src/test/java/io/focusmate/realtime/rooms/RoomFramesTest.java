package io.focusmate.realtime.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The room frames, byte for byte as docs/protocol.md shows them. */
class RoomFramesTest {
    @Test
    void roomFramesHaveTheDocumentedMembersInOrder() {
        TimerState running = new TimerState("running", 60_000, 60_000, 160_000, 7, "alice");
        assertEquals("{\"type\":\"room_state\",\"data\":{\"room_id\":\"r1\",\"participants\":[{\"user_id\":\"alice\"}],"
                + "\"participant_count\":1,\"timer\":{\"status\":\"running\",\"duration_s\":60,\"remaining_ms\":60000,"
                + "\"ends_at\":160000,"
                + "\"server_time\":100000,\"version\":7,\"updated_by\":\"alice\"},\"settings\":{\"a\":1},"
                + "\"version\":7,\"server_time\":100000}}",
                RoomFrames.roomState("r1", new Presence(List.of("alice"), 7), running,
                        new RoomSettings("{\"a\":1}", 3, "bob"), 7, 100_000));
        assertEquals("{\"type\":\"timer_updated\",\"data\":{\"room_id\":\"r1\",\"status\":\"running\",\"duration_s\":60,"
                + "\"remaining_ms\":60000,\"ends_at\":160000,\"server_time\":100000,\"version\":7,\"updated_by\":\"alice\"}}",
                RoomFrames.timerUpdated("r1", running, 100_000));
        assertEquals("{\"type\":\"participant_left\",\"data\":{\"room_id\":\"r1\",\"user_id\":\"bob\",\"version\":9,"
                + "\"count\":2}}",
                RoomFrames.participant("participant_left", "r1", "bob", 9, 2));
        assertEquals("{\"type\":\"settings_updated\",\"data\":{\"room_id\":\"r1\",\"settings\":{\"a\":1},\"version\":3,"
                + "\"updated_by\":\"bob\"}}", RoomFrames.settingsUpdated("r1", new RoomSettings("{\"a\":1}", 3, "bob")));
        assertEquals("{\"type\":\"participant_count\",\"data\":{\"room_id\":\"r1\",\"count\":300,\"version\":12}}",
                RoomFrames.participantCount("r1", 300, 12));
    }
}
