package io.focusmate.realtime.bench;

import java.nio.charset.StandardCharsets;

/**
 * The frame the benchmark publisher sends: {@code {"type":"bench","data":{"seq":N,"t":NANOS}}}, where {@code t} is
 * the intended send time on {@link System#nanoTime()}'s clock (CLOCK_MONOTONIC, shared by every process on the
 * machine), so latency includes any delay in sending: a slow server cannot hide behind a slow publisher. Read from
 * the received bytes without a JSON parser or a String (the load generator's cost per delivery is latency too).
 */
final class BenchFrame {
    private static final byte[] BENCH = "{\"type\":\"bench\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] T = "\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);

    private BenchFrame() {
    }

    static String of(long seq, long intendedNanos) {
        return "{\"type\":\"bench\",\"data\":{\"seq\":" + seq + ",\"t\":" + intendedNanos + "}}";
    }

    /** The stamp of a bench frame, or -1 for any other frame. */
    static long stamp(byte[] frame, int offset, int length) {
        if (!startsWith(frame, offset, length, BENCH)) {
            return -1;
        }
        int at = lastIndexOf(frame, offset, length, T);
        return at < 0 ? -1 : digits(frame, at + T.length, offset + length);
    }

    /** The sequence number of a bench frame, or -1. */
    static long seq(byte[] frame, int offset, int length) {
        int at = lastIndexOf(frame, offset, length, SEQ);
        return at < 0 ? -1 : digits(frame, at + SEQ.length, offset + length);
    }

    static boolean startsWith(byte[] frame, int offset, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (frame[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int lastIndexOf(byte[] frame, int offset, int length, byte[] needle) {
        outer:
        for (int i = offset + length - needle.length; i >= offset; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (frame[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The non-negative number written in decimal digits from {@code from} on (before {@code end}). */
    private static long digits(byte[] text, int from, int end) {
        long value = 0;
        for (int i = from; i < end; i++) {
            int c = text[i];
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
