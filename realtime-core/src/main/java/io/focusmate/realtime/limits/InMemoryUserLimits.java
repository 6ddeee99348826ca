package io.focusmate.realtime.limits;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link UserLimits} in one process: the connection limit counts the connections of the gateways that share this
 * object (one instance, usually), and the rate limits are per process. Every call holds the object's lock, which makes
 * each one atomic; nothing blocks on I/O ({@link #inProcess()} is true). An empty user set or a full bucket is
 * forgotten.
 */
public final class InMemoryUserLimits implements UserLimits {
    /** Guarded by {@code this}: lease expiry (epoch ms) by connection id, by "scope:user". */
    private final Map<String, Map<String, Long>> leases = new HashMap<>();
    /** Guarded by {@code this}: token buckets by "bucket:user". */
    private final Map<String, Bucket> buckets = new HashMap<>();

    /** Guarded by {@code this}: calls since the last sweep of full buckets. */
    private int sinceSweep;

    /** One token bucket; guarded by the store's lock. */
    private static final class Bucket {
        double tokens;
        long at;
        double perSecond;
        int burst;

        boolean fullAt(long now) {
            return tokens + Math.max(0, now - at) * perSecond / 1000 >= burst;
        }
    }

    /** Empty limits. */
    public InMemoryUserLimits() {
    }

    private static String key(String scope, String userId) {
        return scope + ":" + userId;
    }

    @Override
    public synchronized boolean acquireConnection(ConnectionLease lease, int max, long now, long leaseMs) {
        Map<String, Long> held = leases.computeIfAbsent(key(lease.scope(), lease.userId()), k -> new HashMap<>());
        held.values().removeIf(expiry -> expiry <= now);
        if (!held.containsKey(lease.connectionId()) && held.size() >= max) {
            if (held.isEmpty()) {
                leases.remove(key(lease.scope(), lease.userId()));
            }
            return false;
        }
        held.put(lease.connectionId(), now + leaseMs);
        return true;
    }

    @Override
    public synchronized List<ConnectionLease> renewConnections(Collection<ConnectionLease> renewed, long now,
                                                               long leaseMs) {
        List<ConnectionLease> lost = new ArrayList<>();
        for (ConnectionLease lease : renewed) {
            Map<String, Long> held = leases.get(key(lease.scope(), lease.userId()));
            Long expiry = held == null ? null : held.get(lease.connectionId());
            if (expiry != null && expiry > now) {
                held.put(lease.connectionId(), now + leaseMs);
            } else {
                lost.add(lease);
            }
        }
        return lost;
    }

    @Override
    public synchronized void releaseConnection(ConnectionLease lease) {
        String key = key(lease.scope(), lease.userId());
        Map<String, Long> held = leases.get(key);
        if (held != null) {
            held.remove(lease.connectionId());
            if (held.isEmpty()) {
                leases.remove(key);
            }
        }
    }

    @Override
    public synchronized int connectionCount(String scope, String userId, long now) {
        Map<String, Long> held = leases.get(key(scope, userId));
        return held == null ? 0 : (int) held.values().stream().filter(expiry -> expiry > now).count();
    }

    @Override
    public synchronized boolean tryAcquire(String bucket, String userId, double perSecond, int burst, long now) {
        forgetFullBuckets(now);
        Bucket state = buckets.computeIfAbsent(key(bucket, userId), k -> {
            Bucket fresh = new Bucket();
            fresh.tokens = burst;
            fresh.at = now;
            return fresh;
        });
        if (now > state.at) {
            state.tokens = Math.min(burst, state.tokens + (now - state.at) * perSecond / 1000);
            state.at = now;
        }
        state.tokens = Math.min(burst, state.tokens);
        state.perSecond = perSecond;
        state.burst = burst;
        if (state.tokens < 1) {
            return false;
        }
        state.tokens -= 1;
        return true;
    }

    /** Keeps the map small: a bucket idle long enough to be full again is the same as no bucket. */
    private void forgetFullBuckets(long now) {
        if (++sinceSweep >= 10_000) {
            sinceSweep = 0;
            buckets.values().removeIf(b -> b.fullAt(now));
        }
    }

    @Override
    public boolean inProcess() {
        return true;
    }
}
