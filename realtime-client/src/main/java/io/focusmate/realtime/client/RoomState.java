package io.focusmate.realtime.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A room as a {@link RoomConnection} holds it: the last {@code room_state}, with the newer events applied
 * (docs/protocol.md section 14). Immutable (do not modify {@code settings}).
 *
 * @param roomId the room
 * @param participants the user ids present, sorted; empty in a large room (see {@code participantCount})
 * @param participantCount how many users are present
 * @param timer the shared timer
 * @param settings the room's settings object; empty before any update
 * @param version the newest version applied, of any kind
 */
public record RoomState(String roomId, List<String> participants, int participantCount, RoomTimer timer,
                        ObjectNode settings, long version) {
    /** Copies the list. */
    public RoomState {
        participants = List.copyOf(participants);
    }
}
