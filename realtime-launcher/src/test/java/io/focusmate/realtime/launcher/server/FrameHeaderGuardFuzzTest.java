package io.focusmate.realtime.launcher.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.launcher.ClientBytes;
import io.focusmate.realtime.launcher.Fuzz;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing the frame guard (issue 11): any bytes, split into reads at any points, never make it throw or move the
 * buffer, and its verdict is the one of a simple reference parser that reads the whole stream at once.
 */
@Timeout(60)
class FrameHeaderGuardFuzzTest {
    private static final long MAX = 1_000;

    /** A stream and the points where it is cut into reads. */
    record Reads(byte[] bytes, int[] cuts) {
        @Override
        public String toString() {
            return "bytes " + Arrays.toString(Arrays.copyOf(bytes, Math.min(bytes.length, 64)))
                    + (bytes.length > 64 ? "...(" + bytes.length + ")" : "") + " cut at " + Arrays.toString(cuts);
        }
    }

    @Test
    void framesWithAnyHeaderSplitAnywhereGetTheReferenceParsersVerdict() {
        Fuzz.forAll(20_000, random -> reads(random, random.nextBoolean() ? ClientBytes.stream(random, MAX)
                : ClientBytes.mostlyValid(random, MAX)), this::check);
    }

    @Test
    void randomBytesSplitAnywhereGetTheReferenceParsersVerdict() {
        Fuzz.forAll(20_000, random -> {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            return reads(random, bytes);
        }, this::check);
    }

    private static Reads reads(Random random, byte[] bytes) {
        return new Reads(bytes, ClientBytes.cuts(random, bytes.length));
    }

    private void check(Reads reads) {
        FrameHeaderGuard guard = new FrameHeaderGuard(MAX);
        FrameHeaderGuard.Verdict verdict = FrameHeaderGuard.Verdict.PASS;
        int from = 0;
        for (int i = 0; i <= reads.cuts().length && verdict == FrameHeaderGuard.Verdict.PASS; i++) {
            int to = i < reads.cuts().length ? reads.cuts()[i] : reads.bytes().length;
            ByteBuffer read = ByteBuffer.wrap(reads.bytes()).position(from).limit(to); // as Grizzly hands it over
            verdict = guard.read(read);
            assertEquals(from, read.position(), "the guard moved the buffer");
            assertEquals(to, read.limit(), "the guard moved the buffer");
            from = to;
        }
        assertEquals(reference(reads.bytes(), MAX), verdict);
    }

    /**
     * RFC 6455 (5.1 to 5.5) on a whole client stream, with no extension: the first violation in it, and where a
     * header is cut short, what its bytes so far already decide.
     */
    static FrameHeaderGuard.Verdict reference(byte[] stream, long max) {
        int at = 0;
        boolean inMessage = false;
        while (stream.length - at >= 2) {
            int first = stream[at] & 0xFF;
            int second = stream[at + 1] & 0xFF;
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            int len = second & 0x7F;
            boolean control = opcode >= 8;
            boolean wrongPlace = opcode == 0 ? !inMessage : opcode <= 2 && inMessage;
            if ((second & 0x80) == 0 || (first & 0x70) != 0 || opcode > 0xA || (opcode > 2 && opcode < 8)
                    || control && (!fin || len > 125) || !control && wrongPlace) {
                return FrameHeaderGuard.Verdict.PROTOCOL_ERROR;
            }
            int lengthBytes = len == 126 ? 2 : len == 127 ? 8 : 0;
            if (lengthBytes == 8 && stream.length - at > 2 && (stream[at + 2] & 0x80) != 0) {
                return FrameHeaderGuard.Verdict.PROTOCOL_ERROR;
            }
            int header = 2 + lengthBytes + 4;
            if (stream.length - at < header) {
                return FrameHeaderGuard.Verdict.PASS;
            }
            long length = lengthBytes == 0 ? len
                    : new BigInteger(1, Arrays.copyOfRange(stream, at + 2, at + 2 + lengthBytes)).longValueExact();
            if (length > max) {
                return FrameHeaderGuard.Verdict.TOO_LARGE;
            }
            if (opcode == 8) {
                return FrameHeaderGuard.Verdict.PASS; // nothing after the client's close is checked
            }
            inMessage = control ? inMessage : !fin;
            if (length > stream.length - at - header) {
                return FrameHeaderGuard.Verdict.PASS;
            }
            at += header + (int) length;
        }
        return FrameHeaderGuard.Verdict.PASS;
    }
}
