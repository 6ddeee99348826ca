package io.focusmate.realtime;

/** What the {@link ChannelRouter} delivers a channel's payloads to: a connection, or a room's local fan-out. */
interface Member {
    /**
     * Takes one validated server frame, on the broker's delivery thread; must not block.
     *
     * @return whether the frame was queued to a client (for the delivery counter)
     */
    boolean deliver(String payload);
}
