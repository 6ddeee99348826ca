package io.focusmate.realtime.internal;

/**
 * The inbound frame budget of one connection: a token bucket of {@code burst} frames refilled at {@code rate} frames
 * a second. A frame over the budget is refused; the refusals themselves are answered at most at the same rate (the
 * rest are dropped quietly, so that a flood cannot make the server write as much as it reads); and more than ten
 * times the rate, plus the burst, within one second marks the connection as a flood.
 *
 * <p>Thread-safe; a connection's frames arrive one at a time, so the lock is uncontended.
 */
final class FrameRateLimiter {
    enum Verdict { ADMIT, REFUSE, REFUSE_QUIETLY, FLOOD }

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final double rate;
    private final double perNano;
    private final double burst;
    private final long floodFrames;
    /** Guarded by {@code this}: frames the connection may still send now. */
    private double tokens;
    /** Guarded by {@code this}: refusals that may still be answered with an error frame. */
    private double answers;
    /** Guarded by {@code this}: when the buckets were last refilled (System.nanoTime). */
    private long refilledAt;
    /** Guarded by {@code this}: the start of the current one-second flood window (System.nanoTime). */
    private long windowStart;
    /** Guarded by {@code this}: frames seen in the current flood window. */
    private long windowFrames;

    /**
     * @param rate frames per second, on average; positive
     * @param burst frames accepted at once; at least 1
     * @param now the current System.nanoTime
     */
    FrameRateLimiter(double rate, int burst, long now) {
        this.rate = rate;
        this.perNano = rate / SECOND_NANOS;
        this.burst = burst;
        this.floodFrames = (long) Math.ceil(rate * 10) + burst;
        this.tokens = burst;
        this.answers = burst;
        this.refilledAt = now;
        this.windowStart = now;
    }

    /** The budget for people: {@code 20 frames per second (bursts of 40)}. */
    String describe() {
        String perSecond = rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
        return perSecond + " frames per second (bursts of " + (long) burst + ")";
    }

    /** Takes one frame arriving at System.nanoTime {@code now}. */
    synchronized Verdict admit(long now) {
        long elapsed = Math.max(0, now - refilledAt);
        refilledAt = now;
        tokens = Math.min(burst, tokens + elapsed * perNano);
        answers = Math.min(burst, answers + elapsed * perNano);
        if (now - windowStart >= SECOND_NANOS) {
            windowStart = now;
            windowFrames = 0;
        }
        if (++windowFrames > floodFrames) {
            return Verdict.FLOOD;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ADMIT;
        }
        if (answers >= 1) {
            answers -= 1;
            return Verdict.REFUSE;
        }
        return Verdict.REFUSE_QUIETLY;
    }
}
