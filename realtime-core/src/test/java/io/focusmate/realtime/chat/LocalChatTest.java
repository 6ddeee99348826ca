package io.focusmate.realtime.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.internal.FakeTransport;
import io.focusmate.realtime.internal.OutboundFrame;
import io.focusmate.realtime.internal.Session;
import io.focusmate.realtime.internal.Sessions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A chat's local fan-out, driven directly: what a joining or live connection is sent, and what is held back. */
class LocalChatTest {
    private static String message(long id) {
        return "{\"type\":\"message\",\"data\":{\"message_id\":" + id + ",\"sender_id\":\"b\"}}";
    }

    @Test
    void aChatConnectionGetsPendingMessagesAfterItsHistoryOnlyOnceAndInOrder() {
        LocalChat chat = new LocalChat("c1");
        FakeTransport transport = new FakeTransport();
        Session alice = Sessions.accepted("alice", transport);
        chat.add(alice);
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
        LocalChat chat = new LocalChat("c1");
        FakeTransport aliceWire = new FakeTransport();
        FakeTransport bobWire = new FakeTransport();
        Session alice = Sessions.accepted("alice", aliceWire);
        Session bob = Sessions.accepted("bob", bobWire);
        chat.add(alice);
        chat.add(bob);
        chat.goLive(alice, 0);
        chat.goLive(bob, 0);
        String typing = "{\"type\":\"typing\",\"data\":{\"user_id\":\"alice\",\"is_typing\":true}}";
        chat.deliver(new OutboundFrame(typing));
        alice.resumeOutbound();
        bob.resumeOutbound();
        assertEquals(List.of(), aliceWire.sent());
        assertEquals(List.of(typing), bobWire.sent());
    }
}
