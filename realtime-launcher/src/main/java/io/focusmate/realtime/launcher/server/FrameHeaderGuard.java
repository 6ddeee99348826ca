package io.focusmate.realtime.launcher.server;

import java.nio.ByteBuffer;

/**
 * Reads the frame headers of one WebSocket's client bytes as they arrive, before anything is buffered, and says
 * when a frame must be refused from its header. A protocol error (close 1002) is any header RFC 6455 forbids: an
 * unmasked client frame (5.1), a reserved bit set with no extension negotiated (5.2; the launcher negotiates none), a
 * reserved opcode (5.2), a control frame that is fragmented or declares more than 125 bytes (5.5), a continuation
 * with no message started or a new data frame inside a fragmented message (5.4), and a 64-bit length with its top
 * bit set (5.2). A data frame that declares more than {@code maxFrameBytes} is too large (close 1009). Either is
 * decided from the header alone, before one byte of the frame's data is held: {@link GrizzlyWebSocket} finds the
 * other protocol errors (invalid UTF-8, a bad close payload) once it has the whole frame. The bytes themselves go on
 * to it unchanged. Nothing after the client's close frame is checked (the connection ends then).
 *
 * <p>Confined to the connection's reading thread (Grizzly reads one connection one read at a time).
 */
final class FrameHeaderGuard {
    /** What a read's bytes mean for the connection. */
    enum Verdict { PASS, PROTOCOL_ERROR, TOO_LARGE }

    private final long maxFrameBytes;
    /** Reading thread: the header being read, up to 14 bytes. */
    private final byte[] header = new byte[14];
    /** Reading thread: how many header bytes are in {@code header}. */
    private int headerBytes;
    /** Reading thread: payload bytes of the current frame still to come (0: a header comes next). */
    private long payloadLeft;
    /** Reading thread: a fragmented data message is under way (its last frame has not come). */
    private boolean inMessage;
    /** Reading thread: the client's close frame has come; nothing after it is checked. */
    private boolean closed;

    FrameHeaderGuard(long maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Takes the next bytes of the stream: those between the position and the limit, which it does not move. */
    Verdict read(ByteBuffer bytes) {
        int i = bytes.position();
        int end = bytes.limit();
        while (i < end && !closed) {
            if (payloadLeft > 0) {
                long skip = Math.min(payloadLeft, end - i);
                payloadLeft -= skip;
                i += (int) skip;
                continue;
            }
            header[headerBytes++] = bytes.get(i++);
            Verdict verdict = headerRead();
            if (verdict != Verdict.PASS) {
                return verdict;
            }
        }
        return Verdict.PASS;
    }

    /** Checks the header read so far; when it is complete, starts its payload. */
    private Verdict headerRead() {
        if (headerBytes < 2) {
            return Verdict.PASS;
        }
        if (headerBytes == 2 && !validStart(header[0], header[1], inMessage)) {
            return Verdict.PROTOCOL_ERROR;
        }
        int len = header[1] & 0x7F;
        int lengthBytes = len == 126 ? 2 : len == 127 ? 8 : 0;
        if (headerBytes < 2 + lengthBytes + 4) {
            if (len == 127 && headerBytes == 3 && (header[2] & 0x80) != 0) {
                return Verdict.PROTOCOL_ERROR; // the most significant bit of a 64-bit length must be 0
            }
            return Verdict.PASS;
        }
        long payload = len;
        if (lengthBytes > 0) {
            payload = 0;
            for (int b = 0; b < lengthBytes; b++) {
                payload = (payload << 8) | (header[2 + b] & 0xFF);
            }
        }
        if (payload > maxFrameBytes) {
            return Verdict.TOO_LARGE;
        }
        int opcode = header[0] & 0x0F;
        boolean fin = (header[0] & 0x80) != 0;
        if (opcode < 8) {
            inMessage = !fin;
        }
        closed = opcode == 0x8;
        headerBytes = 0;
        payloadLeft = payload;
        return Verdict.PASS;
    }

    /**
     * Whether a client frame may start with these two bytes (RFC 6455, 5.1 to 5.5, with no extension), given whether
     * a fragmented message is under way.
     */
    private static boolean validStart(byte first, byte second, boolean inMessage) {
        boolean masked = (second & 0x80) != 0;
        boolean reservedBits = (first & 0x70) != 0;
        if (!masked || reservedBits) {
            return false;
        }
        int opcode = first & 0x0F;
        boolean fin = (first & 0x80) != 0;
        if (opcode >= 0x8) { // a control frame: close, ping or pong, whole, at most 125 bytes
            return opcode <= 0xA && fin && (second & 0x7F) <= 125;
        }
        if (opcode == 0x0) { // a continuation
            return inMessage;
        }
        return opcode <= 0x2 && !inMessage; // text or binary, starting a message
    }
}
