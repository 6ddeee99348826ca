package io.focusmate.realtime.adapter;

import java.nio.ByteBuffer;

/**
 * One server text frame on its way to one or many clients: encode once, write many. Server frames are not masked
 * (RFC 6455, section 5.1), so the bytes on the wire are the same for every recipient. Immutable and thread-safe.
 */
public interface Frame {

    /** The JSON text of the frame. */
    String text();

    /**
     * The complete, unmasked WebSocket text frame (FIN, opcode 1, length, UTF-8 payload), as a fresh view of bytes
     * shared by every recipient: the caller may move its position, never write into it.
     */
    ByteBuffer wire();
}
