package io.focusmate.realtime;

import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.FrameSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One room's local fan-out from its channel, for connections that join in two steps: until a connection has its
 * greeting (a room's state, a chat's history), the room's frames wait in its pending list; then {@link #goLive}
 * sets what it already has and flushes the pending frames that are newer. Subclasses say which frames pass.
 *
 * <p>Thread-safe: the broker thread delivers; the room's state stripe adds and removes connections. No frame is
 * written while holding the lock, except in {@link #goLive}, which runs while the connection's outbound queue is
 * still held back (so it does no I/O), and which is why no live frame can overtake a pending one.
 *
 * @param <W> what the fan-out keeps per connection
 */
abstract class PendingFanOut<W extends PendingFanOut.Watch> implements Member {
    /** Frames one joining connection may hold before its greeting; more means it cannot keep up. */
    static final int MAX_PENDING = 1_000;

    /** Per connection: its pending frames until it is live. Guarded by the owning fan-out. */
    static class Watch {
        /** Frames received before the greeting; null once live. */
        List<OutboundFrame> pending = new ArrayList<>();
    }

    /** Guarded by {@code this}. */
    private final Map<Connection, W> watches = new LinkedHashMap<>();

    /** Whether the frame goes to anyone at all (a gate for the whole room); called holding {@code this}. */
    boolean admit(FrameSummary frame) {
        return true;
    }

    /**
     * Whether the frame goes to this live connection; may update its watch, and may set its {@code pending} list
     * again to hold its frames until a new greeting. Called holding {@code this}.
     */
    abstract boolean passes(W watch, FrameSummary frame);

    synchronized void addWatch(Connection connection, W watch) {
        watches.put(connection, watch);
    }

    /** Removes the connection's watch; returns it, or null when it was not here. */
    synchronized W removeWatch(Connection connection) {
        return watches.remove(connection);
    }

    synchronized boolean contains(Connection connection) {
        return watches.containsKey(connection);
    }

    synchronized boolean isEmpty() {
        return watches.isEmpty();
    }

    /** The watches, for a subclass's own bookkeeping; call holding {@code this}. */
    Iterable<W> watchesHeld() {
        return watches.values();
    }

    /** The connection got its greeting: {@code settle} records what it has, then its newer pending frames go. */
    synchronized void goLive(Connection connection, Consumer<W> settle) {
        W watch = watches.get(connection);
        if (watch == null || watch.pending == null) {
            return;
        }
        settle.accept(watch);
        List<OutboundFrame> flush = watch.pending;
        watch.pending = null;
        for (OutboundFrame pending : flush) {
            if (watch.pending != null) {
                watch.pending.add(pending); // passes() put the connection back to waiting for a new greeting
            } else if (passes(watch, FrameSummary.of(pending.text()))) {
                connection.send(pending);
            }
        }
    }

    @Override
    public int deliver(OutboundFrame payload) {
        FrameSummary frame = FrameSummary.of(payload.text());
        List<Connection> targets = new ArrayList<>();
        List<Connection> overflowed = new ArrayList<>();
        synchronized (this) {
            if (!admit(frame)) {
                return 0;
            }
            for (Map.Entry<Connection, W> entry : watches.entrySet()) {
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
        for (Connection target : targets) {
            sent += target.send(payload) ? 1 : 0;
        }
        for (Connection slow : overflowed) {
            slow.closeNow(CloseCode.SLOW_CONSUMER);
        }
        return sent;
    }
}
