package io.focusmate.realtime.limits;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Per-user limits shared by every gateway instance of a deployment: how many connections a user holds (as leases),
 * and how fast a user may do something (a token bucket per user). Implementations: {@link InMemoryUserLimits} (one
 * process: the limits are per instance) and realtime-redis's (every instance on the same Redis and key prefix).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Atomic.</b> {@link #acquireConnection} checks and takes a place in one step: instances acquiring for one
 *       user at once never take more than {@code max} places together. {@link #tryAcquire} takes a token in one
 *       step: no two callers spend the same token.</li>
 *   <li><b>Connections are leased.</b> A connection counts while its lease is unexpired. Its instance renews it
 *       ({@link #renewConnections}) and releases it when the socket closes; a crashed instance's leases simply
 *       expire, so its connections stop counting within one lease.</li>
 *   <li><b>Time is the caller's.</b> Every call takes {@code now} (epoch ms) from the caller's clock; a lease with
 *       expiry {@code <= now} is expired. Instances' clocks should agree to well within a lease (NTP).</li>
 *   <li><b>Nothing lives forever.</b> State that no caller touches any more goes away by itself (expired leases,
 *       full buckets).</li>
 * </ul>
 * Thread-safe. Calls may block on I/O (Redis), unless {@link #inProcess()}. A failure (the broker is down) throws a
 * {@code RuntimeException} such as {@code PubSubException}; the gateway then falls back rather than refusing everyone:
 * it counts only its own connections, and lets chat messages through, logging the failure at most once a minute.
 */
public interface UserLimits {

    /**
     * Takes a place for the connection unless the user already holds {@code max} unexpired leases in its scope; its
     * lease lasts until {@code now + leaseMs}. Expired leases of the user are dropped first. A connection that already
     * holds a lease gets it extended and is never refused.
     *
     * @return whether the connection now holds a lease
     */
    boolean acquireConnection(ConnectionLease lease, int max, long now, long leaseMs);

    /**
     * Takes a place for each connection as {@link #acquireConnection} does, in list order: a later lease of the same
     * user and scope counts the ones taken before it in the same call. The gateway calls this with the connections
     * that arrived while it waited on the previous check, so that a connection storm costs one round trip per batch
     * instead of one per connection. The default calls {@link #acquireConnection} for each; a broker-backed
     * implementation overrides it with one round trip.
     *
     * @return the leases that were refused (none: every connection now holds a lease), in any order
     */
    default List<ConnectionLease> acquireConnections(List<ConnectionLease> leases, int max, long now, long leaseMs) {
        List<ConnectionLease> refused = new ArrayList<>();
        for (ConnectionLease lease : leases) {
            if (!acquireConnection(lease, max, now, leaseMs)) {
                refused.add(lease);
            }
        }
        return refused;
    }

    /**
     * Extends each lease that is still held (present and unexpired at {@code now}) to {@code now + leaseMs}.
     * A lease that was released, or expired, is not taken again: it is returned, and the caller decides (the gateway
     * acquires it again for a connection that is still open).
     *
     * @return the leases that were not held, in any order
     */
    List<ConnectionLease> renewConnections(Collection<ConnectionLease> leases, long now, long leaseMs);

    /** Drops the lease, if held; a connection that closes. Idempotent. */
    void releaseConnection(ConnectionLease lease);

    /**
     * Drops each lease, as {@link #releaseConnection} does: the gateway calls this with the connections that closed
     * while it waited on the previous call. The default calls {@link #releaseConnection} for each; a broker-backed
     * implementation overrides it with one round trip.
     */
    default void releaseConnections(Collection<ConnectionLease> leases) {
        for (ConnectionLease lease : leases) {
            releaseConnection(lease);
        }
    }

    /** How many unexpired leases the user holds in the scope at {@code now}. */
    int connectionCount(String scope, String userId, long now);

    /**
     * Takes one token from the user's bucket named {@code bucket} (a short name without {@code ':'}). A bucket holds
     * at most {@code burst} tokens, starts full, and refills continuously at {@code perSecond} tokens a second; a
     * {@code now} earlier than the bucket's last call refills nothing, so clocks that disagree never create tokens.
     *
     * @param perSecond the refill rate, positive
     * @param burst the bucket's size, at least 1
     * @return whether a token was taken; false when the bucket is empty (nothing changes then)
     */
    boolean tryAcquire(String bucket, String userId, double perSecond, int burst, long now);

    /**
     * Whether every call answers from this process's memory, without I/O: then the gateway calls
     * {@link #acquireConnection} on the socket's own thread and accepts a connection at once. Otherwise it calls it
     * off the container threads and holds the client's frames until the answer. False unless overridden.
     */
    default boolean inProcess() {
        return false;
    }
}
