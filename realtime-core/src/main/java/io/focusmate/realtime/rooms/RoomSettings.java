package io.focusmate.realtime.rooms;

/**
 * A room's settings: one JSON object. Immutable.
 *
 * @param json the settings object as JSON text ({@code {}} before any update)
 * @param version the room's change counter at the last update (0 before any)
 * @param updatedBy the user of the last update, or null
 */
public record RoomSettings(String json, long version, String updatedBy) {
    /** Settings of a room that never had any. */
    public static RoomSettings initial() {
        return new RoomSettings("{}", 0, null);
    }
}
