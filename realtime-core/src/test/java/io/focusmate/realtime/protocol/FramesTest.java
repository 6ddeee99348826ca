package io.focusmate.realtime.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.chat.History;
import io.focusmate.realtime.room.Presence;
import io.focusmate.realtime.room.RoomSettings;
import io.focusmate.realtime.room.TimerState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The room and chat frames, byte for byte as docs/protocol.md shows them. */
class FramesTest {

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

    @Test
    void chatFramesHaveTheDocumentedMembersInOrder() {
        assertEquals("{\"type\":\"history\",\"data\":{\"room_id\":\"c1\",\"messages\":[{\"message_id\":4}],"
                + "\"recovered\":true,\"last_message_id\":4}}",
                ChatFrames.history("c1", new History(List.of("{\"message_id\":4}"), true, 4)));
        assertEquals("{\"type\":\"typing\",\"data\":{\"room_id\":\"c1\",\"user_id\":\"a\",\"is_typing\":false,"
                + "\"expires_in_ms\":0}}", ChatFrames.typing("c1", "a", false, 5000));
        assertEquals("{\"type\":\"read\",\"data\":{\"room_id\":\"c1\",\"user_id\":\"a\",\"message_id\":5}}",
                ChatFrames.read("c1", "a", 5));
        assertEquals("{\"type\":\"subscribed\",\"data\":{\"channel\":\"notifications:broadcast\"}}",
                ServerFrames.channelAck("subscribed", "notifications:broadcast"));
    }
}
