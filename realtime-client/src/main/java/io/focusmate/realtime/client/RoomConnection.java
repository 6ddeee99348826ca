package io.focusmate.realtime.client;

import java.time.Duration;
import java.util.Map;

/**
 * A room connection ({@code /ws/room/{room_id}}): a {@link Connection} that holds the room's state. Each
 * {@code room_state} (the first frame of every connect) replaces it; newer events update it and stale ones are
 * ignored (docs/protocol.md section 14, "Versions").
 *
 * <p><b>Commands.</b> The timer and settings commands are sent when the connection is {@link ConnectionState#CONNECTED}
 * and return {@code true}; otherwise nothing is sent and they return {@code false} (room commands are not queued: a
 * command replayed later could undo a newer one). Their effect arrives as an event, to every member.
 *
 * <p>Thread-safe; no method blocks.
 */
public interface RoomConnection extends Connection {
    /** The room id. */
    String roomId();

    /** The room as last known, or {@code null} before the first {@code room_state}. */
    RoomState room();

    /**
     * What is left of the room's timer now, on the gateway's clock as estimated from the timer frames' server times
     * ({@code max(0, ends_at - (now + offset))} while running, {@code remaining_ms} otherwise), so that every client
     * shows the same countdown whatever its own clock says; 0 before the first {@code room_state}.
     */
    long remainingMillis();

    /** The gateway's clock now (epoch ms) as estimated: the local clock plus the offset from the last timer frame. */
    long serverTimeMillis();

    /** {@code timer_start}: (re)starts the timer for {@code duration}, a whole number of seconds from 1 to 86400. */
    boolean startTimer(Duration duration);

    /** {@code timer_pause}. */
    boolean pauseTimer();

    /** {@code timer_resume}. */
    boolean resumeTimer();

    /** {@code timer_reset}. */
    boolean resetTimer();

    /** {@code update_settings}: a shallow merge into the settings; a {@code null} value removes that member. */
    boolean updateSettings(Map<String, ?> settings);
}
