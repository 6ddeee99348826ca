package io.focusmate.realtime.client.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: attempt n (from 1) waits a random time in
 * {@code [0, min(base * 2^(n-1), cap))}. Thread-safe when its random source is.
 */
public final class Backoff {
    private final long baseNanos;
    private final long capNanos;
    private final DoubleSupplier random;

    /** {@code random} returns values in {@code [0, 1)}, as {@link Math#random()} does. */
    public Backoff(Duration base, Duration cap, DoubleSupplier random) {
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
        this.random = random;
    }

    /** The largest delay of attempt {@code attempt} (from 1): {@code min(base * 2^(attempt-1), cap)}. */
    public Duration ceiling(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + attempt);
        }
        int shift = Math.min(attempt - 1, 62);
        long ceiling = baseNanos > (capNanos >> shift) ? capNanos : Math.min(capNanos, baseNanos << shift);
        return Duration.ofNanos(ceiling);
    }

    /** The delay before attempt {@code attempt} (from 1): a uniformly random part of its ceiling. */
    public Duration delay(int attempt) {
        double factor = Math.min(Math.max(random.getAsDouble(), 0), 1);
        return Duration.ofNanos((long) (ceiling(attempt).toNanos() * factor));
    }
}
