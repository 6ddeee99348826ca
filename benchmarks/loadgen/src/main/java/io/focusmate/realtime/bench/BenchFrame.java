package io.focusmate.realtime.bench;

/**
 * The frame the benchmark publisher sends: {@code {"type":"bench","data":{"seq":N,"t":NANOS}}}, where {@code t} is
 * the intended send time on {@link System#nanoTime()}'s clock (CLOCK_MONOTONIC, shared by every process on the
 * machine), so latency includes any delay in sending: a slow server cannot hide behind a slow publisher.
 */
final class BenchFrame {
    private static final String T = "\"t\":";
    private static final String SEQ = "\"seq\":";

    private BenchFrame() {
    }

    static String of(long seq, long intendedNanos) {
        return "{\"type\":\"bench\",\"data\":{\"seq\":" + seq + ",\"t\":" + intendedNanos + "}}";
    }

    /** The sequence number of a bench frame (its stamp must have been found first), or -1. */
    static long seq(String frame) {
        int at = frame.indexOf(SEQ);
        return at < 0 ? -1 : digits(frame, at + SEQ.length());
    }

    /** The stamp of a bench frame, or -1 for any other frame; no JSON parser on the hot path. */
    static long stamp(CharSequence frame) {
        if (frame.length() < 20 || frame.charAt(9) != 'b' || !frame.toString().startsWith("{\"type\":\"bench\"")) {
            return -1;
        }
        String text = frame.toString();
        int at = text.lastIndexOf(T);
        return at < 0 ? -1 : digits(text, at + T.length());
    }

    /** The non-negative number written in decimal digits from {@code from} on. */
    private static long digits(String text, int from) {
        long value = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
