package io.focusmate.realtime.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

class FrameSummaryTest {

    @Test
    void aJsonObjectWithAStringTypeIsAServerFrame() {
        assertTrue(FrameSummary.isServerFrame("{\"type\":\"notification\",\"data\":{\"type\":1,\"x\":[1,{}]}}"));
        assertTrue(FrameSummary.isServerFrame(" {\"data\":null,\"type\":\"late\"} "));
    }

    @Test
    void anythingElseIsNot() {
        for (String bad : new String[] {null, "", "x", "[]", "\"s\"", "{}", "{\"type\":1}", "{\"type\":null}",
                "{\"type\":{}}", "{\"type\":\"a\"", "{\"type\":\"a\"} {}", "{\"type\":\"a\",}",
                "{\"data\":{\"type\":\"nested only\"}}"}) {
            assertFalse(FrameSummary.isServerFrame(bad), String.valueOf(bad));
        }
    }

    @Test
    void aClientMessageNeedsAnObjectWithAStringType() {
        assertEquals("ping", ClientMessage.parse("{\"type\":\"ping\"}").type());
        ProtocolException e = assertThrows(ProtocolException.class, () -> ClientMessage.parse("{\"type\":[]}"));
        assertEquals(ErrorCode.INVALID_MESSAGE, e.code());
        assertThrows(ProtocolException.class, () -> ClientMessage.parse("nope"));
        assertThrows(ProtocolException.class,
                () -> ClientMessage.parse("{\"type\":\"subscribe\",\"data\":{\"channel\":5}}").requireText("channel"));
    }

    @Test
    void theConnectedFrameIsTheSeedsFrameExactly() {
        assertEquals("{\"type\":\"connected\",\"message\":\"Connected to notification service\",\"user_id\":\"u\\\"1\"}",
                ServerFrames.connected("Connected to notification service", "u\"1"));
    }
}
