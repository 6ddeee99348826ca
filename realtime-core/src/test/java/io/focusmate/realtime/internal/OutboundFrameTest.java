package io.focusmate.realtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutboundFrameTest {

    private static String decode(ByteBuffer wire) {
        int b0 = wire.get() & 0xFF;
        assertEquals(0x81, b0, "FIN and the text opcode");
        int b1 = wire.get() & 0xFF;
        assertEquals(0, b1 & 0x80, "server frames are not masked");
        long length = b1 & 0x7F;
        if (length == 126) {
            length = wire.getShort() & 0xFFFF;
        } else if (length == 127) {
            length = wire.getLong();
        }
        assertEquals(length, wire.remaining());
        byte[] payload = new byte[wire.remaining()];
        wire.get(payload);
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Test
    void theWireBytesAreAnUnmaskedTextFrameOfTheUtf8TextAtEveryLengthBoundary() {
        for (int length : new int[] {0, 125, 126, 65_535, 65_536, 200_000}) {
            String text = "é".repeat(length / 2) + "x".repeat(length % 2);
            assertEquals(text, decode(new OutboundFrame(text).wire()), "length " + length);
        }
    }

    @Test
    void everyRecipientGetsItsOwnViewOfTheSameBytes() {
        OutboundFrame frame = new OutboundFrame("{\"type\":\"notification\"}");
        ByteBuffer first = frame.wire();
        first.position(first.limit());
        assertEquals("{\"type\":\"notification\"}", decode(frame.wire()));
        assertEquals("notification", frame.type());
        assertEquals("other", new OutboundFrame("{\"data\":1,\"type\":\"x\"}").type());
    }
}
