package io.focusmate.realtime.chat;

import io.focusmate.realtime.internal.PendingFanOut;
import io.focusmate.realtime.internal.Session;
import io.focusmate.realtime.internal.protocol.FrameSummary;

/**
 * One chat room's connections on this instance, and the room's fan-out from its channel. Each connection has a
 * watermark: a {@code message} at or below it was already sent (in its history), so it is skipped, and replays are
 * never duplicated. {@code typing} and {@code read} go to everyone but the user they are about.
 *
 * <p>Thread-safe: the broker thread delivers; the room's state stripe adds and removes connections.
 */
final class LocalChat extends PendingFanOut<LocalChat.Watch> {
    final String roomId;

    /** Guarded by the owning chat. */
    static final class Watch extends PendingFanOut.Watch {
        final String userId;
        /** Messages with an id up to this were sent. */
        long watermark;

        Watch(String userId) {
            this.userId = userId;
        }
    }

    LocalChat(String roomId) {
        this.roomId = roomId;
    }

    @Override
    protected Watch newWatch(Session session) {
        return new Watch(session.principal().userId());
    }

    /** The history up to {@code watermark} is sent: from now on only newer messages pass. */
    void goLive(Session connection, long watermark) {
        goLive(connection, watch -> watch.watermark = watermark);
    }

    @Override
    protected boolean passes(Watch watch, FrameSummary frame) {
        switch (frame.type()) {
            case "message" -> {
                if (frame.messageId() <= watch.watermark) {
                    return false;
                }
                watch.watermark = frame.messageId();
                return true;
            }
            case "typing", "read" -> {
                return !watch.userId.equals(frame.userId());
            }
            default -> {
                return true;
            }
        }
    }
}
