package io.focusmate.realtime.redis;

/**
 * The round trip of an instance's messages to itself through Redis: the proof that its subscriber link not only is
 * connected but still delivers. Thread-safe: the control thread sends and checks, the subscriber thread receives.
 */
final class Canary {
    private final long timeoutNanos;
    /** Guarded by {@code this}: the sequence of the last canary sent, 0 before any. */
    private long sentSeq;
    /** Guarded by {@code this}: when the oldest canary still awaited was sent, or 0 when none is awaited. */
    private long awaitedSinceNanos;
    /** Guarded by {@code this}: when the newest canary was sent. */
    private long sentAtNanos;
    /** Guarded by {@code this}: whether a canary came back since the last reset (on the current link). */
    private boolean confirmed;
    /** Guarded by {@code this}: the round trip of the last canary back, -1 before any. */
    private long roundTripNanos = -1;
    /** Any message on the link, -1 when never. */
    private volatile long lastMessageNanos = -1;

    Canary(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** The payload of the next canary, sent now. */
    synchronized String next(long now) {
        sentSeq++;
        sentAtNanos = now;
        if (awaitedSinceNanos == 0) {
            awaitedSinceNanos = now;
        }
        return "canary " + sentSeq;
    }

    /** A canary came back: everything sent up to it arrived. */
    synchronized void received(String payload, long now) {
        heard(now);
        if (!payload.startsWith("canary ")) {
            return;
        }
        long seq;
        try {
            seq = Long.parseLong(payload.substring(7));
        } catch (NumberFormatException e) {
            return;
        }
        if (seq == sentSeq) {
            roundTripNanos = now - sentAtNanos;
            awaitedSinceNanos = 0;
            confirmed = true;
        } else if (seq < sentSeq && awaitedSinceNanos != 0) {
            // an older one: the link delivers, only slowly; what is still awaited is at most the newest
            awaitedSinceNanos = sentAtNanos;
        }
    }

    void heard(long now) {
        lastMessageNanos = now;
    }

    /** Whether a canary has been awaited for longer than the timeout. */
    synchronized boolean overdue(long now) {
        return awaitedSinceNanos != 0 && now - awaitedSinceNanos > timeoutNanos;
    }

    /** Forgets the awaited canaries: the link is new or down, and must prove itself again. */
    synchronized void reset(long now) {
        awaitedSinceNanos = 0;
        confirmed = false;
    }

    /** Whether a canary made the round trip on the current link. */
    synchronized boolean confirmed() {
        return confirmed;
    }

    synchronized long roundTripMillis() {
        return roundTripNanos < 0 ? -1 : roundTripNanos / 1_000_000;
    }

    long lastMessageAgeMillis(long now) {
        long last = lastMessageNanos;
        return last < 0 ? -1 : (now - last) / 1_000_000;
    }
}
