package io.focusmate.realtime.client;

/**
 * What a room connection reports, besides the state, errors and stop of {@link ConnectionListener}. Every method has
 * an empty default. Called as {@link ConnectionListener} says: on the client's one event thread, in order.
 */
public interface RoomListener extends ConnectionListener {
    /**
     * The room changed: a {@code room_state} replaced it (on every connect, and when a room crosses the large-room
     * limit), or a newer event was applied ({@code participant_joined}, {@code participant_left},
     * {@code participant_count}, {@code timer_updated}, {@code settings_updated}). {@code frame} is what changed it;
     * stale events (a version already reflected) are dropped and never reported.
     */
    default void onRoomChanged(RoomState room, Frame frame) {
    }

    /** A frame of a type the client does not know, forwarded as received (ignore the types you do not know). */
    default void onFrame(Frame frame) {
    }
}
