package io.focusmate.realtime.rooms;

/** What a client may do to a room's timer. */
public enum TimerCommand {
    /** Start (or restart) with a duration. */
    START,
    /** Pause a running timer. */
    PAUSE,
    /** Resume a paused timer. */
    RESUME,
    /** Back to idle with the full duration. */
    RESET
}
