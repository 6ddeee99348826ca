package io.focusmate.realtime.bench;

/**
 * The frame the benchmark publisher sends: {@code {"type":"bench","data":{"seq":N,"t":NANOS}}}, where {@code t} is
 * the intended send time on {@link System#nanoTime()}'s clock (CLOCK_MONOTONIC, shared by every process on the
 * machine), so latency includes any delay in sending: a slow server cannot hide behind a slow publisher. Read from
 * the received bytes without a JSON parser or a String (the load generator's cost per delivery is latency too).
 */
final class BenchFrame {
    private static final byte[] BENCH = Bytes.ascii("{\"type\":\"bench\"");
    private static final byte[] T = Bytes.ascii("\"t\":");
    private static final byte[] SEQ = Bytes.ascii("\"seq\":");

    private BenchFrame() {
    }

    static String of(long seq, long intendedNanos) {
        return "{\"type\":\"bench\",\"data\":{\"seq\":" + seq + ",\"t\":" + intendedNanos + "}}";
    }

    /** The stamp of a bench frame, or -1 for any other frame. */
    static long stamp(byte[] frame, int offset, int length) {
        if (!Bytes.startsWith(frame, offset, length, BENCH)) {
            return -1;
        }
        int at = Bytes.lastIndexOf(frame, offset, offset + length, T);
        return at < 0 ? -1 : digits(frame, at + T.length, offset + length);
    }

    /** The sequence number of a bench frame, or -1. */
    static long seq(byte[] frame, int offset, int length) {
        int at = Bytes.lastIndexOf(frame, offset, offset + length, SEQ);
        return at < 0 ? -1 : digits(frame, at + SEQ.length, offset + length);
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
