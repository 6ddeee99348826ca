package io.focusmate.realtime;

import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.FrameSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One room's connections on this instance, and the room's fan-out from its channel. It drops stale events: each
 * carries the room's version, and an event older than what this instance (or the connection's {@code room_state})
 * already reflects would move a client backwards. A connection that has not had its {@code room_state} yet keeps
 * its events pending, then gets only those newer than its state.
 *
 * <p>Thread-safe: the broker thread delivers; the room's state stripe adds and removes connections.
 */
final class LocalRoom implements Member {
    /** Events one joining connection may hold before its {@code room_state}; more means it cannot keep up. */
    static final int MAX_PENDING = 1_000;

    final String roomId;
    final String channel;
    /** Guarded by {@code this}: per connection, its state version, or pending events before its room_state. */
    private final Map<Connection, Watch> watches = new LinkedHashMap<>();
    /** Guarded by {@code this}: connections per user on this instance. */
    private final Map<String, Integer> users = new HashMap<>();
    /** Guarded by {@code this}: the newest version seen per event stream (timer, settings, presence per user). */
    private final Map<String, Long> newest = new HashMap<>();

    /** Guarded by the owning {@link LocalRoom}. */
    private static final class Watch {
        /** Events after {@code stateVersion} pass; -1 while pending. */
        long stateVersion = -1;
        /** Events received before the room_state; null once live. */
        List<String> pending = new ArrayList<>();
    }

    LocalRoom(String roomId, String channel) {
        this.roomId = roomId;
        this.channel = channel;
    }

    /** Adds a connection, pending; returns whether it is its user's first here. */
    synchronized boolean add(Connection connection, String userId) {
        watches.put(connection, new Watch());
        return users.merge(userId, 1, Integer::sum) == 1;
    }

    /** Removes a connection; returns whether it was its user's last here (false when it was not here). */
    synchronized boolean remove(Connection connection, String userId) {
        if (watches.remove(connection) == null) {
            return false;
        }
        int left = users.merge(userId, -1, Integer::sum);
        if (left <= 0) {
            users.remove(userId);
            return true;
        }
        return false;
    }

    synchronized boolean contains(Connection connection) {
        return watches.containsKey(connection);
    }

    synchronized boolean isEmpty() {
        return watches.isEmpty();
    }

    synchronized Set<String> userIds() {
        return Set.copyOf(users.keySet());
    }

    /**
     * The connection has its room_state at {@code version}: flush its newer pending events, then pass events live.
     * Called while the connection's outbound queue is still held back, so sending under the lock does no I/O, and no
     * live event can overtake a pending one.
     */
    synchronized void goLive(Connection connection, long version) {
        Watch watch = watches.get(connection);
        if (watch == null) {
            return;
        }
        watch.stateVersion = version;
        List<String> flush = watch.pending;
        watch.pending = null;
        for (String payload : flush) {
            long eventVersion = FrameSummary.of(payload).version();
            if (eventVersion < 0 || eventVersion > version) {
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
            if (frame.version() >= 0) {
                String stream = switch (frame.type()) {
                    case "participant_joined", "participant_left" -> "presence:" + frame.userId();
                    default -> frame.type();
                };
                Long seen = newest.get(stream);
                if (seen != null && frame.version() <= seen) {
                    return 0;
                }
                newest.put(stream, frame.version());
            }
            for (Map.Entry<Connection, Watch> entry : watches.entrySet()) {
                Watch watch = entry.getValue();
                if (watch.pending != null) {
                    if (watch.pending.size() < MAX_PENDING) {
                        watch.pending.add(payload);
                    } else {
                        overflowed.add(entry.getKey());
                    }
                } else if (frame.version() < 0 || frame.version() > watch.stateVersion) {
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
}
