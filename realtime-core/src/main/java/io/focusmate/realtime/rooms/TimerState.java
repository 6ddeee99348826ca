package io.focusmate.realtime.rooms;

/**
 * A room's server-authoritative timer. Immutable.
 *
 * @param status {@code idle}, {@code running} or {@code paused}
 * @param durationMs the duration last started, in ms (0 before the first start)
 * @param remainingMs while idle: the full duration; while paused: what was left at the pause; while running: what
 *     was left at the last command (use {@link #remainingAt(long)} for now)
 * @param endsAt while running: the epoch ms at which it reaches zero; otherwise 0
 * @param version the room's change counter at this update (0 for a room that never changed)
 * @param updatedBy the user whose command made this state, or null
 */
public record TimerState(String status, long durationMs, long remainingMs, long endsAt, long version,
                         String updatedBy) {
    /** Before any command. */
    public static final String IDLE = "idle";
    /** Counting down to {@link #endsAt()}. */
    public static final String RUNNING = "running";
    /** Stopped with {@link #remainingMs()} left. */
    public static final String PAUSED = "paused";

    /** A room's timer before any command. */
    public static TimerState initial() {
        return new TimerState(IDLE, 0, 0, 0, 0, null);
    }

    /** The remaining time at {@code now} (epoch ms): never negative. */
    public long remainingAt(long now) {
        return RUNNING.equals(status) ? Math.max(0, endsAt - now) : remainingMs;
    }

    /**
     * The state after a command at {@code now}, or null when the command does not apply (pause when not running,
     * resume when not paused, start with a duration out of range is checked by the caller).
     */
    public TimerState apply(TimerCommand command, long duration, long now, long newVersion, String user) {
        return switch (command) {
            case START -> new TimerState(RUNNING, duration, duration, now + duration, newVersion, user);
            case PAUSE -> RUNNING.equals(status)
                    ? new TimerState(PAUSED, durationMs, remainingAt(now), 0, newVersion, user) : null;
            case RESUME -> PAUSED.equals(status)
                    ? new TimerState(RUNNING, durationMs, remainingMs, now + remainingMs, newVersion, user) : null;
            case RESET -> new TimerState(IDLE, durationMs, durationMs, 0, newVersion, user);
        };
    }
}
