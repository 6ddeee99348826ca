package io.focusmate.realtime.internal;

import io.focusmate.realtime.GatewayConfig;
import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.internal.protocol.ClientMessage;
import io.focusmate.realtime.limits.ConnectionLease;
import io.focusmate.realtime.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user connection limit of one instance: first this instance's own count ({@link SessionRegistry}, no I/O),
 * then a lease in the shared {@link SharedLimits} that counts the user's connections on every instance. With limits
 * that answer in process, a connection is admitted or refused at once. Otherwise the shared check runs on the user's
 * state stripe, and the frames the client sends meanwhile are held, then handed on in order once it is admitted (or
 * dropped with it when refused). The connections that arrive while a stripe waits on the broker are checked together,
 * in one {@link io.focusmate.realtime.limits.UserLimits#acquireConnections} call of at most {@value #MAX_BATCH}: a
 * connection storm costs one round trip per batch, not one per connection. Admitted connections' leases are renewed
 * in batches every third of the lease, and released when they close, in batches on the same stripes; a lease that
 * was lost (it expired while the broker was unreachable) is taken again.
 *
 * <p>Thread-safe. Acquiring, releasing and re-acquiring one user's leases all run on that user's stripe, in order, so a
 * release never overtakes the acquire of the same connection.
 */
final class ConnectionAdmission {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionAdmission.class);
    /** The most frames a client may send before its connection is admitted; the rest get RATE_LIMITED. */
    static final int MAX_HELD_FRAMES = 64;
    /** The most connections checked in one call to the shared limits. */
    static final int MAX_BATCH = 128;
    private static final String RENEWAL = "connection-leases";

    private final int max;
    private final long leaseMs;
    private final String instanceId;
    private final SessionRegistry registry;
    private final SharedLimits limits;
    private final StateExecutor state;
    private final BiConsumer<Session, Handshake> admitted;
    private final BiConsumer<Session, ClientMessage> dispatch;
    private final Consumer<Session> refuse;
    /** Sessions waiting for the shared check, with the frames they sent meanwhile (each guarded by itself). */
    private final Map<Session, Held> pending = new ConcurrentHashMap<>();
    /** Admitted sessions and their leases: the ones renewed. Removed when the session is released. */
    private final Map<Session, ConnectionLease> leases = new ConcurrentHashMap<>();
    /** Per state stripe, the connections waiting for the shared check (each guarded by itself). */
    private final Batch[] batches;

    /** A connection waiting for the shared check. */
    private record Waiting(Session session, Handshake handshake, ConnectionLease lease, Held held) {
    }

    /** The connections of one state stripe waiting for the shared check or for their release; guarded by itself. */
    private static final class Batch {
        /** Guarded by this Batch: in arrival order. */
        final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
        /** Guarded by this Batch: leases of closed connections, to release. */
        final ArrayDeque<ConnectionLease> releasing = new ArrayDeque<>();
        /** Guarded by this Batch: a check task is queued or running on the stripe; it takes what waits. */
        boolean checking;
    }

    /** The frames of a session waiting for admission; guarded by itself. */
    private static final class Held {
        /** Guarded by this Held: the frames in arrival order. */
        final ArrayDeque<ClientMessage> frames = new ArrayDeque<>();
        /** Guarded by this Held: the held frames were handed on; new ones go straight through. */
        boolean open;
    }

    /**
     * @param admitted what to do with an admitted session (the endpoint's onOpen); called at most once per session
     * @param dispatch hands on a held frame, as if it had just arrived
     * @param refuse refuses a session that is over the limit (error frame, log line, close)
     */
    ConnectionAdmission(GatewayConfig config, String instanceId, SessionRegistry registry, SharedLimits limits,
                        StateExecutor state, BiConsumer<Session, Handshake> admitted,
                        BiConsumer<Session, ClientMessage> dispatch, Consumer<Session> refuse) {
        this.max = config.maxConnectionsPerUser();
        this.leaseMs = config.connectionLease().toMillis();
        this.instanceId = instanceId;
        this.registry = registry;
        this.limits = limits;
        this.state = state;
        this.admitted = admitted;
        this.dispatch = dispatch;
        this.refuse = refuse;
        this.batches = new Batch[state.stripeCount()];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = new Batch();
        }
    }

    /** Starts renewing the leases, every third of the lease. */
    void start() {
        state.every(Duration.ofMillis(Math.max(1, leaseMs / 3)), () -> state.execute(RENEWAL, this::renewAll));
    }

    /** Takes an authenticated session: refuses it, admits it, or holds its frames until the shared check answers. */
    void admit(Session session, Handshake handshake) {
        String user = session.principal().userId();
        if (!registry.addUserConnection(user, session)) {
            refuse.accept(session);
            return;
        }
        ConnectionLease lease = new ConnectionLease(session.endpoint().label(), user, instanceId + "|" + session.id());
        if (limits.inProcess()) {
            if (acquired(session, lease)) {
                admitted.accept(session, handshake);
            }
            return;
        }
        Held held = new Held();
        pending.put(session, held);
        enqueue(user, batch -> batch.waiting.add(new Waiting(session, handshake, lease, held)));
    }

    /** Adds work to the user's stripe's batch (holding its lock), and queues a check unless one is queued already. */
    private void enqueue(String userId, Consumer<Batch> add) {
        String key = stripe(userId);
        Batch batch = batches[state.stripeOf(key)];
        boolean start;
        synchronized (batch) {
            add.accept(batch);
            start = !batch.checking;
            batch.checking = true;
        }
        if (start) {
            state.execute(key, () -> check(batch, key));
        }
    }

    /**
     * On the batch's stripe: checks up to {@link #MAX_BATCH} waiting connections in one call and admits or refuses
     * each, then releases up to as many closed connections' leases in one call, and queues another check behind the
     * stripe's other work while more wait. A connection released while it waited is skipped. A lease is released
     * after its acquire: a release queued while its acquire is under way waits for the next check.
     */
    private void check(Batch batch, String key) {
        List<Waiting> next = new ArrayList<>();
        List<ConnectionLease> closed = new ArrayList<>();
        synchronized (batch) {
            while (next.size() < MAX_BATCH && !batch.waiting.isEmpty()) {
                Waiting waiting = batch.waiting.poll();
                if (waiting.session().isReleased()) {
                    pending.remove(waiting.session());
                } else {
                    next.add(waiting);
                }
            }
            while (closed.size() < MAX_BATCH && !batch.releasing.isEmpty()) {
                closed.add(batch.releasing.poll());
            }
        }
        try {
            if (!next.isEmpty()) {
                Set<ConnectionLease> refused = Set.copyOf(
                        limits.acquireAll(next.stream().map(Waiting::lease).toList(), max, leaseMs));
                next.forEach(waiting -> settle(waiting, !refused.contains(waiting.lease())));
            }
            if (!closed.isEmpty()) {
                limits.releaseAll(closed);
            }
        } finally {
            boolean more;
            synchronized (batch) {
                more = !batch.waiting.isEmpty() || !batch.releasing.isEmpty();
                batch.checking = more;
            }
            if (more) {
                state.execute(key, () -> check(batch, key));
            }
        }
    }

    /** Admits a checked connection and hands on its held frames, or refuses it; a failure is logged and contained. */
    private void settle(Waiting waiting, boolean granted) {
        Session session = waiting.session();
        try {
            if (!took(session, waiting.lease(), granted)) {
                pending.remove(session);
                return;
            }
            if (!session.isReleased()) {
                admitted.accept(session, waiting.handshake());
            }
            replay(session, waiting.held());
        } catch (RuntimeException e) {
            LOG.error("Admitting {} failed", session, e);
        }
    }

    /** The shared check, in process; on a refusal the session leaves this instance's count and is refused. */
    private boolean acquired(Session session, ConnectionLease lease) {
        return took(session, lease, limits.acquire(lease, max, leaseMs));
    }

    /**
     * Records the lease when the shared check granted it; otherwise takes the session out of this instance's count
     * and refuses it. Returns whether the session holds a lease.
     */
    private boolean took(Session session, ConnectionLease lease, boolean granted) {
        if (!granted) {
            registry.removeUserConnection(session);
            refuse.accept(session);
            return false;
        }
        leases.put(session, lease);
        if (session.isReleased()) {
            leases.remove(session); // released meanwhile: its release is queued behind this on the user's stripe
        }
        return true;
    }

    /** Hands on the held frames in order, then lets frames through directly. */
    private void replay(Session session, Held held) {
        while (true) {
            ClientMessage next;
            synchronized (held) {
                next = held.frames.poll();
                if (next == null) {
                    held.open = true;
                    pending.remove(session, held);
                    return;
                }
            }
            dispatch.accept(session, next);
        }
    }

    /** Whether the frame is held because its session is not admitted yet (it is handed on later, in order). */
    boolean holds(Session session, ClientMessage message) {
        Held held = pending.get(session);
        if (held == null) {
            return false;
        }
        synchronized (held) {
            if (held.open) {
                return false;
            }
            if (held.frames.size() < MAX_HELD_FRAMES) {
                held.frames.add(message);
            } else {
                session.sendError(ErrorCode.RATE_LIMITED, "Too many frames before the connection was accepted");
            }
            return true;
        }
    }

    /** The session is gone (after {@link Session#release()}): its lease, if any, is released. */
    void release(Session session) {
        Held held = pending.remove(session);
        ConnectionLease lease = leases.remove(session);
        if (held == null && lease == null) {
            return;
        }
        ConnectionLease gone = lease != null ? lease : new ConnectionLease(session.endpoint().label(),
                session.principal().userId(), instanceId + "|" + session.id());
        if (limits.inProcess()) {
            limits.release(gone);
        } else {
            enqueue(gone.userId(), batch -> batch.releasing.add(gone));
        }
    }

    /**
     * Renews every lease in one batch; a lost one whose session is still open is taken again, over the limit. The
     * leases of sessions that closed while the renewal ran (their release may reach the broker first, as in a mass
     * disconnect) are not lost ones: they are neither reported nor taken again.
     */
    private void renewAll() {
        if (leases.isEmpty()) {
            return;
        }
        Map<ConnectionLease, Session> byLease = new HashMap<>();
        leases.forEach((session, lease) -> byLease.put(lease, session));
        List<ConnectionLease> lost = limits.renew(byLease.keySet(), leaseMs).stream()
                .filter(lease -> holds(byLease.get(lease), lease))
                .toList();
        if (!lost.isEmpty()) {
            LOG.info("Taking {} lost connection leases again (they expired, or the shared state was lost)",
                    lost.size());
        }
        for (ConnectionLease lease : lost) {
            Session session = byLease.get(lease);
            state.execute(stripe(lease.userId()), () -> {
                if (holds(session, lease)) {
                    limits.acquire(lease, Integer.MAX_VALUE, leaseMs);
                }
            });
        }
    }

    /** Whether the session is still open on this instance and holds this lease. */
    private boolean holds(Session session, ConnectionLease lease) {
        return session != null && leases.get(session) == lease;
    }

    /** Sessions holding a lease on this instance (tests). */
    int leaseCount() {
        return leases.size();
    }

    private static String stripe(String userId) {
        return "user:" + userId;
    }
}
