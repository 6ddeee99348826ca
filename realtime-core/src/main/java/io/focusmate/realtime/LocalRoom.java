package io.focusmate.realtime;

import io.focusmate.realtime.protocol.FrameSummary;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One room's connections on this instance, and the room's fan-out from its channel. It drops stale events: each
 * carries the room's version, and an event older than what this instance already passed on (or than what a
 * connection's {@code room_state} reflected) would move a client backwards.
 *
 * <p>Thread-safe: the broker thread delivers; the room's state stripe adds and removes connections.
 */
final class LocalRoom extends PendingFanOut<LocalRoom.Watch> {
    final String roomId;
    final String channel;
    /** Guarded by {@code this}: connections per user on this instance. */
    private final Map<String, Integer> users = new HashMap<>();
    /** Guarded by {@code this}: the newest version passed on per event stream (timer, settings, presence per user). */
    private final Map<String, Long> newest = new HashMap<>();

    /** Guarded by the owning room. */
    static final class Watch extends PendingFanOut.Watch {
        /** Events after this version pass; -1 until the room_state. */
        long stateVersion = -1;
    }

    LocalRoom(String roomId, String channel) {
        this.roomId = roomId;
        this.channel = channel;
    }

    /** Adds a connection, pending; returns whether it is its user's first here. */
    synchronized boolean add(Connection connection, String userId) {
        addWatch(connection, new Watch());
        return users.merge(userId, 1, Integer::sum) == 1;
    }

    /** Removes a connection; returns whether it was its user's last here (false when it was not here). */
    synchronized boolean remove(Connection connection, String userId) {
        if (removeWatch(connection) == null) {
            return false;
        }
        int left = users.merge(userId, -1, Integer::sum);
        if (left <= 0) {
            users.remove(userId);
            return true;
        }
        return false;
    }

    synchronized Set<String> userIds() {
        return Set.copyOf(users.keySet());
    }

    /** The connection has its room_state at {@code version}: from now on it gets only newer events. */
    void goLive(Connection connection, long version) {
        goLive(connection, watch -> watch.stateVersion = version);
    }

    @Override
    boolean admit(FrameSummary frame) {
        if (frame.version() < 0) {
            return true;
        }
        String stream = switch (frame.type()) {
            case "participant_joined", "participant_left" -> "presence:" + frame.userId();
            default -> frame.type();
        };
        Long seen = newest.get(stream);
        if (seen != null && frame.version() <= seen) {
            return false;
        }
        newest.put(stream, frame.version());
        return true;
    }

    @Override
    boolean passes(Watch watch, FrameSummary frame) {
        return frame.version() < 0 || frame.version() > watch.stateVersion;
    }
}
