package io.focusmate.realtime.notifications;

import java.time.Duration;

/**
 * How much notification history a backend keeps. Immutable.
 *
 * @param size the most publications kept per channel (default 100; 0 turns history off: frames are only published
 *     live and carry no position)
 * @param ttl how long a history is kept after its last publication (default 24 h)
 * @param metaTtl how long a channel's epoch and last offset are kept after its last publication or recovery
 *     (default 30 days); longer than {@code ttl}, so that a client of a quiet channel is still told it missed nothing
 * @param idempotencyWindow how long an idempotency key is remembered per channel (default 10 min)
 */
public record HistorySettings(int size, Duration ttl, Duration metaTtl, Duration idempotencyWindow) {
    /** The defaults: 100 publications for 24 h, metadata for 30 days, idempotency keys for 10 minutes. */
    public static final HistorySettings DEFAULTS = new HistorySettings(100, Duration.ofHours(24), Duration.ofDays(30),
            Duration.ofMinutes(10));

    /** No history: frames are only published live. */
    public static final HistorySettings OFF = new HistorySettings(0, Duration.ofHours(24), Duration.ofDays(30),
            Duration.ofMinutes(10));

    /**
     * @throws IllegalArgumentException naming the value out of range
     */
    public HistorySettings {
        if (size < 0 || size > 1_000_000) {
            throw new IllegalArgumentException("history size must be from 0 to 1000000");
        }
        if (ttl.toMillis() < 1 || metaTtl.compareTo(ttl) < 0) {
            throw new IllegalArgumentException("history ttl must be positive, and the metadata ttl at least as long");
        }
        if (idempotencyWindow.toMillis() < 1) {
            throw new IllegalArgumentException("the idempotency window must be positive");
        }
    }

    /** Whether history is on. */
    public boolean enabled() {
        return size > 0;
    }
}
