package io.focusmate.realtime;

import io.focusmate.realtime.protocol.FrameSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One room's connections on this instance, and the room's fan-out from its channel. It drops stale events: each
 * carries the room's version, and an event older than what this instance already passed on (or than what a
 * connection's {@code room_state} reflected) would move a client backwards.
 *
 * <p>It also keeps each connection on one side of the room's list limit: a connection whose {@code room_state}
 * listed the participants (a small room) must not be left with a stale list once the room grows past the limit,
 * nor one that got only a count keep counting once the room is small again. A presence frame whose count is on
 * the other side goes to no such connection; instead the connection waits (its frames held) for a new
 * {@code room_state}, which {@code resync} asks the room endpoint for.
 *
 * <p>Thread-safe: the broker thread delivers; the room's state stripe adds and removes connections.
 */
final class LocalRoom extends PendingFanOut<LocalRoom.Watch> {
    final String roomId;
    final String channel;
    private final int listLimit;
    private final Consumer<List<Connection>> resync;
    /** Guarded by {@code this}: connections per user on this instance. */
    private final Map<String, Integer> users = new HashMap<>();
    /** Guarded by {@code this}: the newest version passed on per event stream (timer, settings, presence per user). */
    private final Map<String, Long> newest = new HashMap<>();
    /** Guarded by {@code this}: the newest version of any presence frame passed on. */
    private long newestPresence = -1;
    /** Guarded by {@code this}: connections put back to waiting for a new room_state, not yet handed to resync. */
    private List<Connection> resyncDue = new ArrayList<>();

    /** Guarded by the owning room. */
    static final class Watch extends PendingFanOut.Watch {
        final Connection connection;
        /** Events after this version pass; -1 until the room_state. */
        long stateVersion = -1;
        /** Whether this connection's room_state showed a large room (a count, no list). */
        boolean large;

        Watch(Connection connection) {
            this.connection = connection;
        }
    }

    /**
     * @param listLimit the most participants a room lists; above it, it is large
     * @param resync called (on the delivering thread, holding no lock) with connections that need a new room_state
     */
    LocalRoom(String roomId, String channel, int listLimit, Consumer<List<Connection>> resync) {
        this.roomId = roomId;
        this.channel = channel;
        this.listLimit = listLimit;
        this.resync = resync;
    }

    /** Adds a connection, pending; returns whether it is its user's first here. */
    synchronized boolean add(Connection connection, String userId) {
        addWatch(connection, new Watch(connection));
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

    /**
     * The connection got {@code roomState}, read at {@code version} with {@code count} participants: it goes out
     * first, then the held frames that are newer. For a joining connection the frame is already queued (null here).
     */
    void goLive(Connection connection, String roomState, long version, int count) {
        goLive(connection, watch -> {
            watch.stateVersion = version;
            watch.large = count > listLimit;
            if (roomState != null) {
                connection.send(roomState);
            }
        });
        askResync();
    }

    @Override
    public int deliver(OutboundFrame payload) {
        int sent = super.deliver(payload);
        askResync();
        return sent;
    }

    private void askResync() {
        List<Connection> due;
        synchronized (this) {
            if (resyncDue.isEmpty()) {
                return;
            }
            due = resyncDue;
            resyncDue = new ArrayList<>();
        }
        resync.accept(due);
    }

    @Override
    boolean admit(FrameSummary frame) {
        if (frame.version() < 0) {
            return true;
        }
        if ("participant_count".equals(frame.type()) && frame.version() <= newestPresence) {
            return false; // older than a presence event already passed on
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
        if (frame.count() >= 0) {
            newestPresence = Math.max(newestPresence, frame.version());
        }
        return true;
    }

    @Override
    boolean passes(Watch watch, FrameSummary frame) {
        if (frame.version() >= 0 && frame.version() <= watch.stateVersion) {
            return false;
        }
        if (frame.count() >= 0 && frame.count() > listLimit != watch.large) {
            watch.pending = new ArrayList<>();
            resyncDue.add(watch.connection);
            return false;
        }
        return true;
    }
}
