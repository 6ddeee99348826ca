package io.focusmate.realtime.internal;

import io.focusmate.realtime.internal.protocol.FrameSummary;
import io.focusmate.realtime.protocol.CloseCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pending-then-live watermark of a recovering notifications connection: its channels' frames wait here until
 * the missed ones were read from the history and queued; then, per channel, only frames past the last offset the
 * client has (replayed or reported) go on, so that the replay and the live frames meet with no gap and no duplicate.
 * A frame without an offset (a raw broker publish) always goes on; one of a new epoch (the history was lost) goes on
 * and starts the channel's watermark again.
 *
 * <p>Thread-safe: the broker thread delivers, and the recovering thread calls {@link #goLive} once, while the
 * session's outbound queue is still held back.
 */
public final class ReplayGate {
    private final long maxPendingChars;
    /** Guarded by {@code this}: frames received before {@link #goLive}; null once live. */
    private List<OutboundFrame> pending = new ArrayList<>();
    /** Guarded by {@code this}: the characters of the pending frames. */
    private long pendingChars;
    /** Guarded by {@code this}: per channel, the epoch and last offset the client has. */
    private final Map<String, Mark> marks = new HashMap<>();

    private record Mark(String epoch, long offset) {
    }

    /** A gate that holds at most {@code maxPendingChars} of frames (the outbound limit) before it goes live. */
    public ReplayGate(long maxPendingChars) {
        this.maxPendingChars = maxPendingChars;
    }

    /** Whether a frame goes to the session now; a frame held for later returns false. */
    synchronized boolean admit(OutboundFrame frame, Session session) {
        if (pending != null) {
            if (pendingChars + frame.length() > maxPendingChars && !pending.isEmpty()) {
                session.closeNow(CloseCode.SLOW_CONSUMER);
            } else {
                pending.add(frame);
                pendingChars += frame.length();
            }
            return false;
        }
        return passes(frame.summary());
    }

    private boolean passes(FrameSummary frame) {
        if (frame.offset() < 0 || frame.channel() == null || frame.epoch() == null) {
            return true;
        }
        Mark mark = marks.get(frame.channel());
        if (mark != null && mark.epoch().equals(frame.epoch()) && frame.offset() <= mark.offset()) {
            return false;
        }
        marks.put(frame.channel(), new Mark(frame.epoch(), frame.offset()));
        return true;
    }

    /**
     * The replay is queued: record, per channel, the epoch and offset the client now has, then let the held frames
     * past them go, in the order they came.
     */
    public synchronized void goLive(Session session, Map<String, String> epochs, Map<String, Long> offsets) {
        epochs.forEach((channel, epoch) -> marks.put(channel, new Mark(epoch, offsets.get(channel))));
        List<OutboundFrame> held = pending;
        pending = null;
        if (held == null) {
            return;
        }
        for (OutboundFrame frame : held) {
            if (passes(frame.summary())) {
                session.send(frame);
            }
        }
    }
}
