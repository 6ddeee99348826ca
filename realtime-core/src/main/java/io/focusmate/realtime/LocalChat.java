package io.focusmate.realtime;

import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.FrameSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One chat room's connections on this instance, and the room's fan-out from its channel. Each connection has a
 * watermark: a {@code message} at or below it was already sent (in its history), so it is skipped, and replays are
 * never duplicated. Until its history is sent, a connection's frames wait in a pending list. {@code typing} and
 * {@code read} go to everyone but the user they are about.
 *
 * <p>Thread-safe: the broker thread delivers; the room's state stripe adds and removes connections.
 */
final class LocalChat implements Member {
    final String roomId;
    final String channel;
    /** Guarded by {@code this}. */
    private final Map<Connection, Watch> watches = new LinkedHashMap<>();

    /** Guarded by the owning {@link LocalChat}. */
    private static final class Watch {
        final String userId;
        /** Messages with an id up to this were sent. */
        long watermark;
        /** Frames received before the history; null once live. */
        List<String> pending = new ArrayList<>();

        Watch(String userId) {
            this.userId = userId;
        }
    }

    LocalChat(String roomId, String channel) {
        this.roomId = roomId;
        this.channel = channel;
    }

    synchronized void add(Connection connection, String userId) {
        watches.put(connection, new Watch(userId));
    }

    /** Removes the connection; returns whether its user has no other connection here. */
    synchronized boolean remove(Connection connection) {
        Watch removed = watches.remove(connection);
        return removed != null && watches.values().stream().noneMatch(w -> w.userId.equals(removed.userId));
    }

    synchronized boolean contains(Connection connection) {
        return watches.containsKey(connection);
    }

    synchronized boolean isEmpty() {
        return watches.isEmpty();
    }

    /**
     * The history up to {@code watermark} is sent: flush the newer pending frames, then pass frames live. Called
     * while the connection's outbound queue is still held back, so sending under the lock does no I/O, and no live
     * frame can overtake a pending one.
     */
    synchronized void goLive(Connection connection, long watermark) {
        Watch watch = watches.get(connection);
        if (watch == null) {
            return;
        }
        watch.watermark = watermark;
        List<String> flush = watch.pending;
        watch.pending = null;
        for (String payload : flush) {
            if (passes(watch, FrameSummary.of(payload))) {
                connection.send(payload);
            }
        }
    }

    @Override
    public int deliver(String payload) {
        FrameSummary frame = FrameSummary.of(payload);
        List<Connection> targets = new ArrayList<>();
        List<Connection> overflowed = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<Connection, Watch> entry : watches.entrySet()) {
                Watch watch = entry.getValue();
                if (watch.pending != null) {
                    if (watch.pending.size() < LocalRoom.MAX_PENDING) {
                        watch.pending.add(payload);
                    } else {
                        overflowed.add(entry.getKey());
                    }
                } else if (passes(watch, frame)) {
                    targets.add(entry.getKey());
                }
            }
        }
        int sent = 0;
        for (Connection target : targets) {
            sent += target.send(payload) ? 1 : 0;
        }
        for (Connection slow : overflowed) {
            slow.closeNow(CloseCode.SLOW_CONSUMER);
        }
        return sent;
    }

    /** Whether the frame goes to this watch; advances its watermark for a message. Called holding {@code this}. */
    private static boolean passes(Watch watch, FrameSummary frame) {
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
