package io.focusmate.realtime.notifications;

import java.util.List;

/**
 * A channel's side of a recovering connection. Immutable.
 *
 * @param current the channel's epoch and last offset now (offset 0 for a history that has no publication yet)
 * @param recovered whether every publication after the client's position follows in {@code frames}; always false when
 *     the client gave no position
 * @param frames the missed frames, oldest first, exactly as first delivered; empty unless recovered
 */
public record Recovery(StreamPosition current, boolean recovered, List<String> frames) {
    public Recovery {
        frames = List.copyOf(frames);
    }
}
