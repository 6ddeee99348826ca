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

    @Test
    void reservedBitsReservedOpcodesAndOversizeOrFragmentedControlFramesAreProtocolErrorsFromTwoBytes() {
        int[][] starts = {
            {0xC1, 0x85}, {0xA1, 0x85}, {0x91, 0x85}, // a reserved bit set
            {0x83, 0x85}, {0x87, 0x85}, {0x8B, 0x85}, {0x8F, 0x85}, // reserved opcodes
            {0x09, 0x85}, {0x08, 0x82}, // a control frame without FIN
            {0x89, 0xFE}, {0x88, 0xFF}, // a control frame longer than 125 bytes
            {0x80, 0x85}, {0x00, 0x85}, // a continuation with no message started
        };
        for (int[] start : starts) {
            byte[] twoBytes = {(byte) start[0], (byte) start[1]};
            assertEquals(FrameHeaderGuard.Verdict.PROTOCOL_ERROR,
                    new FrameHeaderGuard(1000).read(ByteBuffer.wrap(twoBytes)),
                    Integer.toHexString(start[0]) + " " + Integer.toHexString(start[1]));
        }
    }

    @Test
    void aHugeControlFrameIsAProtocolErrorNotATooLargeOne() {
        byte[] header = {(byte) 0x89, (byte) 0xFF, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        assertEquals(FrameHeaderGuard.Verdict.PROTOCOL_ERROR, new FrameHeaderGuard(1000).read(ByteBuffer.wrap(header)));
    }

    @Test
    void aFragmentedMessageWithControlFramesBetweenItsFragmentsPassesAndANewMessageInsideItDoesNot() {
        FrameHeaderGuard guard = new FrameHeaderGuard(1000);
        byte[] first = frame(3);
        first[0] = 0x01; // text, no FIN
        byte[] ping = frame(2);
        ping[0] = (byte) 0x89;
        byte[] middle = frame(3);
        middle[0] = 0x00; // continuation, no FIN
        byte[] last = frame(3);
        last[0] = (byte) 0x80; // continuation, FIN
        for (byte[] each : new byte[][] {first, ping, middle, ping, last, frame(4)}) {
            assertEquals(FrameHeaderGuard.Verdict.PASS, guard.read(ByteBuffer.wrap(each)));
        }
        FrameHeaderGuard inside = new FrameHeaderGuard(1000);
        assertEquals(FrameHeaderGuard.Verdict.PASS, inside.read(ByteBuffer.wrap(first)));
        assertEquals(FrameHeaderGuard.Verdict.PROTOCOL_ERROR, inside.read(ByteBuffer.wrap(frame(3))));
    }

    @Test
    void nothingAfterTheClientsCloseFrameIsChecked() {
        FrameHeaderGuard guard = new FrameHeaderGuard(1000);
        byte[] close = frame(2);
        close[0] = (byte) 0x88;
        assertEquals(FrameHeaderGuard.Verdict.PASS, guard.read(ByteBuffer.wrap(close)));
        assertEquals(FrameHeaderGuard.Verdict.PASS, guard.read(ByteBuffer.wrap(new byte[] {(byte) 0x81, 5})));
    }
}
