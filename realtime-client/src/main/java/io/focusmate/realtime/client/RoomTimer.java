package io.focusmate.realtime.client;

/**
 * A room's shared timer as the gateway last reported it (docs/protocol.md section 14, "The timer"). The server owns
 * it; clients send commands ({@link RoomConnection#startTimer} ...). Immutable.
 *
 * @param status {@code idle}, {@code running} or {@code paused}
 * @param durationSeconds the duration of the last start; 0 before the first
 * @param remainingMillis what was left at {@code serverTime}: while paused, what was left at the pause; while idle,
 *     the full duration
 * @param endsAt while running, when the timer reaches zero (epoch ms, the gateway's clock); otherwise {@code null}
 * @param serverTime the gateway's clock (epoch ms) when this state was made or read
 * @param version the room's version at this timer state
 * @param updatedBy the user whose command made this state, or {@code null}
 */
public record RoomTimer(String status, long durationSeconds, long remainingMillis, Long endsAt, long serverTime,
                        long version, String updatedBy) {
    /** Whether the timer is counting down ({@code running}; it stays so after reaching zero). */
    public boolean isRunning() {
        return "running".equals(status) && endsAt != null;
    }

    /**
     * What is left at {@code serverNow} (epoch ms on the gateway's clock): {@code max(0, endsAt - serverNow)} while
     * running, {@link #remainingMillis()} otherwise. {@link RoomConnection#remainingMillis()} passes the gateway's
     * clock as the client estimates it.
     */
    public long remainingAt(long serverNow) {
        return isRunning() ? Math.max(0, endsAt - serverNow) : remainingMillis;
    }
}
