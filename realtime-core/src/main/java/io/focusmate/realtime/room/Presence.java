package io.focusmate.realtime.room;

import java.util.List;

/**
 * Who is in a room, on any instance. Immutable.
 *
 * @param userIds the present users, each once, sorted
 * @param version the room's change counter when read
 */
public record Presence(List<String> userIds, long version) {
    /** Copies the list. */
    public Presence {
        userIds = List.copyOf(userIds);
    }
}
