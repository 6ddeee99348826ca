package io.focusmate.realtime.internal;

import io.focusmate.realtime.internal.protocol.FrameSummary;
import io.focusmate.realtime.protocol.CloseCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One room's local fan-out from its channel, for sessions that join in two steps: until a session has its greeting
 * (a room's state, a chat's history), the room's frames wait in its pending list; then {@link #goLive} sets what it
 * already has and flushes the pending frames that are newer. Subclasses say which frames pass. It also counts each
 * user's sessions, so that a room knows a user's first arrival and last departure on this instance.
 *
 * <p>Thread-safe: the broker thread delivers; the room's state stripe adds and removes sessions. No frame is
 * written while holding the lock, except in {@link #goLive}, which runs while the session's outbound queue is still
 * held back (so it does no I/O), and which is why no live frame can overtake a pending one.
 *
 * @param <W> what the fan-out keeps per session
 */
public abstract class PendingFanOut<W extends PendingFanOut.Watch> implements Member {
    /** Frames one joining session may hold before its greeting; more means it cannot keep up. */
    static final int MAX_PENDING = 1_000;

    /** Per session: its pending frames until it is live. Guarded by the owning fan-out. */
    public static class Watch {
        /** Frames received before the greeting; null once live. Guarded by the owning fan-out. */
        protected List<OutboundFrame> pending = new ArrayList<>();

        /** Puts the session back to waiting (its frames held) for a new greeting; call holding the fan-out. */
        public void holdAgain() {
            pending = new ArrayList<>();
        }
    }

    /** Guarded by {@code this}. */
    private final Map<Session, W> watches = new LinkedHashMap<>();
    /** Guarded by {@code this}: sessions per user on this instance. */
    private final Map<String, Integer> users = new HashMap<>();

    /** The watch of a joining session. */
    protected abstract W newWatch(Session session);

    /** Whether the frame goes to anyone at all (a gate for the whole room); called holding {@code this}. */
    protected boolean admit(FrameSummary frame) {
        return true;
    }

    /**
     * Whether the frame goes to this live session; may update its watch, and may {@link Watch#holdAgain() hold} it
     * again until a new greeting. Called holding {@code this}.
     */
    protected abstract boolean passes(W watch, FrameSummary frame);

    /** Adds a session, pending; returns whether it is its user's first here. */
    public synchronized boolean add(Session session) {
        watches.put(session, newWatch(session));
        return users.merge(session.principal().userId(), 1, Integer::sum) == 1;
    }

    /** Removes a session; returns whether it was its user's last here (false when it was not here). */
    public synchronized boolean remove(Session session) {
        if (watches.remove(session) == null) {
            return false;
        }
        String userId = session.principal().userId();
        if (users.merge(userId, -1, Integer::sum) <= 0) {
            users.remove(userId);
            return true;
        }
        return false;
    }

    /** The users with a session here: a snapshot. */
    public synchronized Set<String> userIds() {
        return Set.copyOf(users.keySet());
    }

    public synchronized boolean contains(Session session) {
        return watches.containsKey(session);
    }

    public synchronized boolean isEmpty() {
        return watches.isEmpty();
    }

    /** The session got its greeting: {@code settle} records what it has, then its newer pending frames go. */
    protected synchronized void goLive(Session session, Consumer<W> settle) {
        W watch = watches.get(session);
        if (watch == null || watch.pending == null) {
            return;
        }
        settle.accept(watch);
        List<OutboundFrame> flush = watch.pending;
        watch.pending = null;
        for (OutboundFrame pending : flush) {
            if (watch.pending != null) {
                watch.pending.add(pending); // passes() put the session back to waiting for a new greeting
            } else if (passes(watch, pending.summary())) {
                session.send(pending);
            }
        }
    }

    @Override
    public int deliver(OutboundFrame payload) {
        FrameSummary frame = payload.summary();
        List<Session> targets = new ArrayList<>();
        List<Session> overflowed = new ArrayList<>();
        synchronized (this) {
            if (!admit(frame)) {
                return 0;
            }
            for (Map.Entry<Session, W> entry : watches.entrySet()) {
                W watch = entry.getValue();
                if (watch.pending != null) {
                    if (watch.pending.size() < MAX_PENDING) {
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
        for (Session target : targets) {
            sent += target.send(payload) ? 1 : 0;
        }
        for (Session slow : overflowed) {
            slow.closeNow(CloseCode.SLOW_CONSUMER);
        }
        return sent;
    }
}
