package io.focusmate.realtime.chat;

/** What {@link ChatStore#markRead} did. */
public enum ReadOutcome {
    /** The read position moved forward: announce it. */
    MOVED,
    /** The position was already at or past the id: nothing changed. */
    NOT_FORWARD,
    /** The id is not a message of the room (0, negative, or after the newest). */
    UNKNOWN_MESSAGE
}
