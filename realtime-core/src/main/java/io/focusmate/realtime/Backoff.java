package io.focusmate.realtime;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, for reconnect loops (the Redis subscriber, and clients).
 *
 * <p>Attempt {@code n} (from 1) waits {@code min(initial * 2^(n-1), max)}, then scaled by a random factor in
 * {@code [1 - jitter, 1]} so that many clients do not retry in step. Immutable and thread-safe.
 *
 * @param initial the first delay
 * @param max the largest delay
 * @param jitter the fraction of the delay that is random, from 0 (none) to 1 (full jitter)
 */
public record Backoff(Duration initial, Duration max, double jitter) {

    /** The seed's client schedule: 1 s doubling up to 30 s, with 20 % jitter. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);

    /** Validates the arguments. */
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within [0, 1]");
        }
    }

    /** The delay before attempt {@code attempt} (1 for the first retry). */
    public Duration delay(int attempt) {
        return delay(attempt, ThreadLocalRandom.current().nextDouble());
    }

    /** The delay before attempt {@code attempt}, with {@code random} in [0, 1) as the jitter draw. */
    public Duration delay(int attempt, double random) {
        int shift = Math.max(0, Math.min(attempt - 1, 30));
        long base = Math.min(max.toMillis(), initial.toMillis() << shift);
        if (base < 0) {
            base = max.toMillis();
        }
        long jittered = Math.round(base * (1 - jitter * random));
        return Duration.ofMillis(Math.max(1, jittered));
    }
}
