package io.focusmate.realtime.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.internal.FakeTransport;
import io.focusmate.realtime.internal.OutboundFrame;
import io.focusmate.realtime.internal.Session;
import io.focusmate.realtime.internal.Sessions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A room's local fan-out, driven directly: what a joining or live connection is sent, and what is held back. */
class LocalRoomTest {
    @Test
    void aRoomConnectionGetsOnlyEventsNewerThanItsRoomStateAndNoStaleOnes() {
        LocalRoom room = new LocalRoom("r1", 250, due -> { });
        FakeTransport transport = new FakeTransport();
        Session carol = Sessions.accepted("carol", transport);
        room.add(carol);
        String timer9 = "{\"type\":\"timer_updated\",\"data\":{\"version\":9}}";
        String timer11 = "{\"type\":\"timer_updated\",\"data\":{\"version\":11}}";
        String timer10 = "{\"type\":\"timer_updated\",\"data\":{\"version\":10}}";
        String joined12 = "{\"type\":\"participant_joined\",\"data\":{\"user_id\":\"dan\",\"version\":12}}";
        String left8 = "{\"type\":\"participant_left\",\"data\":{\"user_id\":\"erin\",\"version\":8}}";
        room.deliver(new OutboundFrame(timer9));
        room.goLive(carol, null, 10, 3); // the room_state reflected version 10
        room.deliver(new OutboundFrame(timer11));
        room.deliver(new OutboundFrame(timer10)); // arrived late from another instance: older than what was already sent
        room.deliver(new OutboundFrame(joined12));
        room.deliver(new OutboundFrame(left8)); // older than carol's state
        carol.resumeOutbound();
        assertEquals(List.of(timer11, joined12), transport.sent());
    }

    @Test
    void aRoomConnectionWhoseListWouldGoStaleWaitsForANewRoomStateAndThenGetsTheNewerHeldFrames() {
        List<List<Session>> resyncs = new ArrayList<>();
        LocalRoom room = new LocalRoom("r1", 2, resyncs::add);
        FakeTransport transport = new FakeTransport();
        Session carol = Sessions.accepted("carol", transport);
        room.add(carol);
        room.goLive(carol, null, 10, 2); // a small room: carol has the list of 2
        String joined11 = "{\"type\":\"participant_joined\",\"data\":{\"user_id\":\"dan\",\"version\":11,\"count\":3}}";
        String timer12 = "{\"type\":\"timer_updated\",\"data\":{\"version\":12}}";
        String timer14 = "{\"type\":\"timer_updated\",\"data\":{\"version\":14}}";
        room.deliver(new OutboundFrame(joined11)); // the room is large now: carol's list would go stale
        assertEquals(List.of(List.of(carol)), resyncs);
        room.deliver(new OutboundFrame(timer12));
        room.deliver(new OutboundFrame(timer14));
        String state = "{\"type\":\"room_state\",\"data\":{\"participants\":[],\"participant_count\":3}}";
        room.goLive(carol, state, 13, 3);
        String count15 = "{\"type\":\"participant_count\",\"data\":{\"count\":4,\"version\":15}}";
        room.deliver(new OutboundFrame(count15)); // large on both sides: it passes
        carol.resumeOutbound();
        assertEquals(List.of(state, timer14, count15), transport.sent());
        assertEquals(1, resyncs.size());
    }

    @Test
    void aParticipantCountOlderThanAPresenceEventAlreadyPassedOnIsDropped() {
        LocalRoom room = new LocalRoom("r1", 2, due -> { });
        FakeTransport transport = new FakeTransport();
        Session carol = Sessions.accepted("carol", transport);
        room.add(carol);
        room.goLive(carol, null, 10, 5);
        String count13 = "{\"type\":\"participant_count\",\"data\":{\"count\":5,\"version\":13}}";
        String left14 = "{\"type\":\"participant_left\",\"data\":{\"user_id\":\"x\",\"version\":14,\"count\":3}}";
        String count12 = "{\"type\":\"participant_count\",\"data\":{\"count\":6,\"version\":12}}";
        room.deliver(new OutboundFrame(count13));
        room.deliver(new OutboundFrame(left14));
        room.deliver(new OutboundFrame(count12));
        carol.resumeOutbound();
        assertEquals(List.of(count13, left14), transport.sent());
    }
}
