package io.focusmate.realtime.rooms;

import io.focusmate.realtime.internal.OutboundFrame;
import io.focusmate.realtime.internal.PendingFanOut;
import io.focusmate.realtime.internal.Session;
import io.focusmate.realtime.internal.protocol.FrameSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final int listLimit;
    private final Consumer<List<Session>> resync;
    /** Guarded by {@code this}: the newest version passed on per event stream (timer, settings, presence per user). */
    private final Map<String, Long> newest = new HashMap<>();
    /** Guarded by {@code this}: the newest version of any presence frame passed on. */
    private long newestPresence = -1;
    /** Guarded by {@code this}: sessions put back to waiting for a new room_state, not yet handed to resync. */
    private List<Session> resyncDue = new ArrayList<>();

    /** Guarded by the owning room. */
    static final class Watch extends PendingFanOut.Watch {
        final Session connection;
        /** Events after this version pass; -1 until the room_state. */
        long stateVersion = -1;
        /** Whether this session's room_state showed a large room (a count, no list). */
        boolean large;

        Watch(Session connection) {
            this.connection = connection;
        }
    }

    /**
     * @param listLimit the most participants a room lists; above it, it is large
     * @param resync called (on the delivering thread, holding no lock) with sessions that need a new room_state
     */
    LocalRoom(String roomId, int listLimit, Consumer<List<Session>> resync) {
        this.roomId = roomId;
        this.listLimit = listLimit;
        this.resync = resync;
    }

    @Override
    protected Watch newWatch(Session session) {
        return new Watch(session);
    }

    /**
     * The connection got {@code roomState}, read at {@code version} with {@code count} participants: it goes out
     * first, then the held frames that are newer. For a joining connection the frame is already queued (null here).
     */
    void goLive(Session connection, String roomState, long version, int count) {
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
        List<Session> due;
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
    protected boolean admit(FrameSummary frame) {
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
    protected boolean passes(Watch watch, FrameSummary frame) {
        if (frame.version() >= 0 && frame.version() <= watch.stateVersion) {
            return false;
        }
        if (frame.count() >= 0 && frame.count() > listLimit != watch.large) {
            watch.holdAgain();
            resyncDue.add(watch.connection);
            return false;
        }
        return true;
    }
}
