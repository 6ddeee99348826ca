package io.focusmate.realtime.chat;

import java.util.List;

/**
 * Messages of a room after a given id. Immutable.
 *
 * @param messages the stored {@code data} objects (JSON text), oldest first, ids increasing
 * @param complete whether these are all the messages after the given id (false when older ones were trimmed from
 *     the bounded history, so there is a gap)
 * @param lastMessageId the room's newest message id (0 for a room without messages)
 */
public record History(List<String> messages, boolean complete, long lastMessageId) {
    /** Copies the list. */
    public History {
        messages = List.copyOf(messages);
    }
}
