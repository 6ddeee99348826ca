package io.focusmate.realtime.launcher.server;

import java.nio.ByteBuffer;

/**
 * Reads the frame headers of one WebSocket's client bytes as they arrive, before Tyrus buffers anything, and says
 * when a frame must be refused from its header: an unmasked client frame or a length with its top bit set is a
 * protocol error (RFC 6455, 5.1 and 5.2: close 1002), and a frame that declares more than {@code maxFrameBytes} is
 * too large (close 1009) before one byte of it is held. The bytes themselves go on to Tyrus unchanged.
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

    FrameHeaderGuard(long maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Takes the next bytes of the stream: those between the position and the limit, which it does not move. */
    Verdict read(ByteBuffer bytes) {
        int i = bytes.position();
        int end = bytes.limit();
        while (i < end) {
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
        if ((header[1] & 0x80) == 0) {
            return Verdict.PROTOCOL_ERROR; // a client frame must be masked
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
        headerBytes = 0;
        payloadLeft = payload;
        return Verdict.PASS;
    }
}
