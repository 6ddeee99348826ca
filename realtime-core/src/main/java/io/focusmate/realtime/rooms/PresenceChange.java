package io.focusmate.realtime.rooms;

/**
 * A user who became present in a room, or absent from it, on every instance together. Immutable.
 *
 * @param userId the user
 * @param version the room's change counter at this change
 * @param count how many users are present right after this change
 */
public record PresenceChange(String userId, long version, int count) {
}
