package io.focusmate.realtime.internal;

/** What the {@link ChannelRouter} delivers a channel's payloads to: a session, or a room's local fan-out. */
public interface Member {
    /**
     * Takes one validated server frame, shared by every recipient, on the broker's delivery thread; must not block.
     *
     * @return how many clients the frame was queued to (for the delivery counter)
     */
    int deliver(OutboundFrame frame);
}
