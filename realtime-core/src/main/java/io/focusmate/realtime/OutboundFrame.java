package io.focusmate.realtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One text frame on its way to one or many clients: encode once, write many. Server frames are not masked
 * (RFC 6455, 5.1), so the bytes on the wire are the same for every recipient; {@link #wire()} computes them on first
 * use and shares them. Thread-safe.
 */
public final class OutboundFrame {
    private final String text;
    /** Computed once on first use (racy single-check: at worst computed twice, never wrong). */
    private volatile ByteBuffer wire;
    /** Computed once on first use, as above. */
    private volatile String type;

    /** A frame with this JSON text. */
    public OutboundFrame(String text) {
        this.text = text;
    }

    /** The JSON text. */
    public String text() {
        return text;
    }

    /** The length of the text in UTF-16 characters (the unit of the outbound queue's limit). */
    int length() {
        return text.length();
    }

    /**
     * The complete, unmasked WebSocket text frame (FIN, opcode 1, length, UTF-8 payload), as a fresh view of shared
     * bytes: the caller may move its position, never write into it.
     */
    public ByteBuffer wire() {
        ByteBuffer encoded = wire;
        if (encoded == null) {
            encoded = encode(text);
            wire = encoded;
        }
        return encoded.duplicate();
    }

    /** The {@code type} of a frame that starts with {@code {"type":"...}} (all the gateway's own do), else other. */
    String type() {
        String known = type;
        if (known == null) {
            known = typeOf(text);
            type = known;
        }
        return known;
    }

    static String typeOf(String frame) {
        if (!frame.startsWith("{\"type\":\"")) {
            return "other";
        }
        int end = frame.indexOf('"', 9);
        return end < 0 || end - 9 > 32 ? "other" : frame.substring(9, end);
    }

    static ByteBuffer encode(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int header = payload.length < 126 ? 2 : payload.length < 65_536 ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(header + payload.length);
        frame.put((byte) 0x81);
        if (payload.length < 126) {
            frame.put((byte) payload.length);
        } else if (payload.length < 65_536) {
            frame.put((byte) 126).putShort((short) payload.length);
        } else {
            frame.put((byte) 127).putLong(payload.length);
        }
        frame.put(payload).flip();
        return frame;
    }
}
