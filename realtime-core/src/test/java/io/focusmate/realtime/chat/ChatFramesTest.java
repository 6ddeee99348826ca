package io.focusmate.realtime.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.internal.protocol.ServerFrames;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chat frames, byte for byte as docs/protocol.md shows them. */
class ChatFramesTest {
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
