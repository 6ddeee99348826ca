package io.focusmate.realtime.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A room's state on the client: room_state replaces, stale versions are ignored, the countdown uses the server clock. */
class RoomBookTest {
    private static final String STATE = "{\"room_id\":\"r1\",\"participants\":[{\"user_id\":\"bob\"},{\"user_id\":\"ada\"}],"
            + "\"participant_count\":2,\"timer\":{\"status\":\"running\",\"duration_s\":60,\"remaining_ms\":50000,"
            + "\"ends_at\":1000050000,\"server_time\":1000000000,\"version\":15,\"updated_by\":\"ada\"},"
            + "\"settings\":{\"theme\":\"dark\"},\"version\":10,\"server_time\":1000000000}";

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRoomStateReplacesEverythingAndSortsTheParticipants() {
        RoomBook book = new RoomBook();
        assertNull(book.room());
        assertEquals(0, book.remainingAt(0));
        assertTrue(book.apply("room_state", json(STATE), 5_000));
        assertEquals(List.of("ada", "bob"), book.room().participants());
        assertEquals(2, book.room().participantCount());
        assertEquals("dark", book.room().settings().path("theme").asText());
        assertEquals(15, book.room().timer().version());
        assertTrue(book.apply("room_state", json(STATE.replace("{\"user_id\":\"bob\"},", "")
                .replace("\"participant_count\":2", "\"participant_count\":1")), 6_000));
        assertEquals(List.of("ada"), book.room().participants());
    }

    @Test
    void theCountdownFollowsTheGatewaysClockWhateverTheLocalClockSays() {
        RoomBook book = new RoomBook();
        long localClockAnHourBehind = 1_000_000_000L - 3_600_000;
        book.apply("room_state", json(STATE), localClockAnHourBehind);
        assertEquals(50_000, book.remainingAt(localClockAnHourBehind));
        assertEquals(40_000, book.remainingAt(localClockAnHourBehind + 10_000));
        assertEquals(0, book.remainingAt(localClockAnHourBehind + 90_000), "never below zero");
        assertEquals(1_000_010_000L, book.serverTimeAt(localClockAnHourBehind + 10_000));
    }

    @Test
    void aPausedOrIdleTimerShowsItsRemainingTime() {
        RoomBook book = new RoomBook();
        book.apply("room_state", json(STATE), 0);
        assertTrue(book.apply("timer_updated", json("{\"room_id\":\"r1\",\"status\":\"paused\",\"duration_s\":60,"
                + "\"remaining_ms\":30000,\"ends_at\":null,\"server_time\":1000020000,\"version\":16,\"updated_by\":\"bob\"}"), 0));
        assertEquals(30_000, book.remainingAt(123_456_789));
        assertEquals("bob", book.room().timer().updatedBy());
        assertFalse(book.room().timer().isRunning());
    }

    @Test
    void eventsAtOrBelowTheirFloorAreStaleAndIgnored() {
        RoomBook book = new RoomBook();
        book.apply("room_state", json(STATE), 0);
        assertFalse(book.apply("timer_updated", json("{\"status\":\"idle\",\"version\":15,\"server_time\":1}"), 0),
                "the timer's floor is the larger of the state's and the timer's version");
        assertFalse(book.apply("settings_updated", json("{\"settings\":{\"theme\":\"light\"},\"version\":10}"), 0));
        assertTrue(book.apply("settings_updated", json("{\"settings\":{\"theme\":\"light\"},\"version\":11}"), 0));
        assertFalse(book.apply("settings_updated", json("{\"settings\":{\"theme\":\"old\"},\"version\":11}"), 0));
        assertEquals("light", book.room().settings().path("theme").asText());
        assertFalse(book.apply("participant_joined", json("{\"user_id\":\"cy\",\"version\":9,\"count\":3}"), 0));
        assertEquals(List.of("ada", "bob"), book.room().participants());
    }

    @Test
    void presenceIsVersionedPerUserAndALateJoinAfterALeaveIsIgnored() {
        RoomBook book = new RoomBook();
        book.apply("room_state", json(STATE), 0);
        assertTrue(book.apply("participant_left", json("{\"user_id\":\"bob\",\"version\":13,\"count\":1}"), 0));
        assertFalse(book.apply("participant_joined", json("{\"user_id\":\"bob\",\"version\":12,\"count\":2}"), 0));
        assertEquals(List.of("ada"), book.room().participants());
        assertEquals(1, book.room().participantCount());
        assertTrue(book.apply("participant_joined", json("{\"user_id\":\"cy\",\"version\":14,\"count\":2}"), 0));
        assertEquals(List.of("ada", "cy"), book.room().participants());
        assertTrue(book.apply("participant_count", json("{\"count\":300,\"version\":20}"), 0));
        assertFalse(book.apply("participant_count", json("{\"count\":299,\"version\":19}"), 0));
        assertEquals(300, book.room().participantCount());
        assertEquals(20, book.room().version());
    }

    @Test
    void eventsBeforeTheFirstRoomStateAndUnknownTypesChangeNothing() {
        RoomBook book = new RoomBook();
        assertFalse(book.apply("timer_updated", json("{\"version\":99}"), 0));
        assertNull(book.room());
        book.apply("room_state", json(STATE), 0);
        assertFalse(book.apply("confetti", json("{\"version\":99}"), 0));
    }
}
