package io.focusmate.realtime.launcher.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameHeaderGuardTest {

    /** A masked frame of {@code length} payload bytes (zeros), header and all. */
    private static byte[] frame(int length) {
        int lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + 4 + length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | (lengthBytes == 0 ? length : lengthBytes == 2 ? 126 : 127));
        for (int i = 0; i < lengthBytes; i++) {
            frame[2 + i] = (byte) ((long) length >>> (8 * (lengthBytes - 1 - i)));
        }
        return frame;
    }

    @Test
    void framesOfEverySizeClassPassWhetherTheyComeWholeOrOneByteAtATime() {
        for (int length : new int[] {0, 5, 125, 126, 300, 65_535, 65_536, 70_000}) {
            byte[] frame = frame(length);
            FrameHeaderGuard whole = new FrameHeaderGuard(100_000);
            assertEquals(FrameHeaderGuard.Verdict.PASS, whole.read(ByteBuffer.wrap(frame)), "whole " + length);
            assertEquals(FrameHeaderGuard.Verdict.PASS, whole.read(ByteBuffer.wrap(frame)), "again " + length);
            FrameHeaderGuard pieces = new FrameHeaderGuard(100_000);
            for (byte b : frame) {
                assertEquals(FrameHeaderGuard.Verdict.PASS, pieces.read(ByteBuffer.wrap(new byte[] {b})), "" + length);
            }
        }
    }

    @Test
    void aFrameOverTheLimitIsRefusedFromItsHeaderAlone() {
        byte[] header = java.util.Arrays.copyOf(frame(70_000), 2 + 8 + 4);
        assertEquals(FrameHeaderGuard.Verdict.TOO_LARGE, new FrameHeaderGuard(65_536).read(ByteBuffer.wrap(header)));
    }

    @Test
    void anUnmaskedFrameOrATopBitLengthIsAProtocolError() {
        assertEquals(FrameHeaderGuard.Verdict.PROTOCOL_ERROR,
                new FrameHeaderGuard(1000).read(ByteBuffer.wrap(new byte[] {(byte) 0x81, 5})));
        assertEquals(FrameHeaderGuard.Verdict.PROTOCOL_ERROR,
                new FrameHeaderGuard(1000).read(ByteBuffer.wrap(new byte[] {(byte) 0x81, (byte) 0xFF, (byte) 0x80})));
    }

    @Test
    void theGuardReadsWithoutMovingTheBuffer() {
        ByteBuffer bytes = ByteBuffer.wrap(frame(10));
        new FrameHeaderGuard(1000).read(bytes);
        assertEquals(0, bytes.position());
    }
}
