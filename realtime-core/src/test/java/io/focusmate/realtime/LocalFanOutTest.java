package io.focusmate.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.auth.Principal;
import io.focusmate.realtime.pubsub.InMemoryPubSub;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-room fan-outs, driven directly: what a joining or live connection is sent, and what is held back. */
class LocalFanOutTest {
    private final InMemoryPubSub pubSub = new InMemoryPubSub();
    private final Gateway gateway = Gateway.builder().pubSub(pubSub)
            .authenticator(token -> new Principal(token)).build();

    @AfterEach
    void close() {
        gateway.close();
        pubSub.close();
    }

    private Connection connection(String user, FakeTransport transport) {
        Connection connection = new Connection(1, EndpointKind.CHAT, gateway, transport, 1 << 20, 0);
        connection.accept(new Principal(user));
        return connection;
    }

    private static String message(long id) {
        return "{\"type\":\"message\",\"data\":{\"message_id\":" + id + ",\"sender_id\":\"b\"}}";
    }

    @Test
    void aChatConnectionGetsPendingMessagesAfterItsHistoryOnlyOnceAndInOrder() {
        LocalChat chat = new LocalChat("c1", "matching:chat:c1");
        FakeTransport transport = new FakeTransport();
        Connection alice = connection("alice", transport);
        chat.add(alice, "alice");
        chat.deliver(new OutboundFrame(message(5)));
        chat.deliver(new OutboundFrame(message(6)));
        chat.deliver(new OutboundFrame(message(7)));
        chat.goLive(alice, 6); // the history frame covered up to 6
        chat.deliver(new OutboundFrame(message(7))); // a duplicate can never pass the watermark
        chat.deliver(new OutboundFrame(message(8)));
        alice.resumeOutbound();
        assertEquals(List.of(message(7), message(8)), transport.sent());
    }

    @Test
    void typingAndReadsSkipTheUserTheyAreAbout() {
        LocalChat chat = new LocalChat("c1", "matching:chat:c1");
        FakeTransport aliceWire = new FakeTransport();
        FakeTransport bobWire = new FakeTransport();
        Connection alice = connection("alice", aliceWire);
        Connection bob = connection("bob", bobWire);
        chat.add(alice, "alice");
        chat.add(bob, "bob");
        chat.goLive(alice, 0);
        chat.goLive(bob, 0);
        String typing = "{\"type\":\"typing\",\"data\":{\"user_id\":\"alice\",\"is_typing\":true}}";
        chat.deliver(new OutboundFrame(typing));
        alice.resumeOutbound();
        bob.resumeOutbound();
        assertEquals(List.of(), aliceWire.sent());
        assertEquals(List.of(typing), bobWire.sent());
    }

    @Test
    void aRoomConnectionGetsOnlyEventsNewerThanItsRoomStateAndNoStaleOnes() {
        LocalRoom room = new LocalRoom("r1", "room:r1:updates", 250, due -> { });
        FakeTransport transport = new FakeTransport();
        Connection carol = connection("carol", transport);
        room.add(carol, "carol");
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
        List<List<Connection>> resyncs = new ArrayList<>();
        LocalRoom room = new LocalRoom("r1", "room:r1:updates", 2, resyncs::add);
        FakeTransport transport = new FakeTransport();
        Connection carol = connection("carol", transport);
        room.add(carol, "carol");
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
        LocalRoom room = new LocalRoom("r1", "room:r1:updates", 2, due -> { });
        FakeTransport transport = new FakeTransport();
        Connection carol = connection("carol", transport);
        room.add(carol, "carol");
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
