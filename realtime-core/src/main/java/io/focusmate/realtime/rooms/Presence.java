package io.focusmate.realtime.rooms;

import java.util.List;

/**
 * Who is in a room, on any instance. Immutable.
 *
 * @param userIds the present users, each once, sorted; empty when the room has more users than the caller asked
 *     to list (see {@link RoomStore#presence(String, long, int)})
 * @param count how many users are present
 * @param version the room's change counter when read
 */
public record Presence(List<String> userIds, int count, long version) {
    /** Copies the list. */
    public Presence {
        userIds = List.copyOf(userIds);
    }

    /** Every present user listed. */
    public Presence(List<String> userIds, long version) {
        this(userIds, userIds.size(), version);
    }
}
