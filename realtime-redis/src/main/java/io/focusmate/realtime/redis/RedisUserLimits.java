package io.focusmate.realtime.redis;

import io.focusmate.realtime.limits.ConnectionLease;
import io.focusmate.realtime.limits.UserLimits;
import io.focusmate.realtime.pubsub.PubSubException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@link UserLimits} in Redis, shared by every gateway instance on the same Redis and key prefix. Acquiring a place,
 * renewing a batch of leases and taking a token are each <b>one Lua script</b>, so Redis runs them as one atomic step
 * whichever instance sends them.
 *
 * <h2>Keys</h2> (each after the backend's key prefix; the user id comes last, as is)
 * <ul>
 *   <li>{@code connections:{scope}:{user_id}} ZSET: member = connection id ({@code instanceId|number}), score = its
 *       lease's expiry in epoch ms. Expired members are dropped by the next acquire; the key expires
 *       {@code 2 × lease} after its last acquire or renewal, so a user whose instances all died leaves nothing.</li>
 *   <li>{@code rate:{bucket}:{user_id}} HASH: {@code tokens} (a decimal), {@code at} (epoch ms of the last refill).
 *       Expires once an empty bucket would be full again ({@code burst / rate} seconds) plus 1 s: a missing bucket
 *       reads as full, which is then the same.</li>
 * </ul>
 *
 * <p>Cost: an acquire is linear in the user's leases in the scope (a handful); acquires, releases and renewals of
 * several leases are one script call per {@value #SCRIPT_BATCH} leases; a token is one hash read and write.
 *
 * <p>Thread-safe: no mutable state; it shares the backend's connection pool. Calls block on Redis; a Redis failure
 * throws {@link PubSubException} naming the address.
 */
final class RedisUserLimits implements UserLimits {
    /**
     * The most leases one script call acquires, renews or releases. Redis runs a script alone: every other client,
     * publishers and subscribers included, waits for it. At 500 per call a renewal held Redis for 13 to 18 ms when
     * Redis shared its core with other work (1.9 ms on an idle core), and each such call was a pause in every
     * delivery; 50 keeps a call to a fifth of a millisecond on an idle core.
     */
    static final int SCRIPT_BATCH = 50;
    /** Connection sets expire this many leases after their last write. */
    private static final long CONNECTIONS_TTL_LEASES = 2;

    private static final LuaScript ACQUIRE_ALL = LuaScript.limits("acquire-all");
    private static final LuaScript RELEASE_ALL = LuaScript.limits("release-all");
    private static final LuaScript RENEW = LuaScript.limits("renew");
    private static final LuaScript RATE = LuaScript.limits("rate");

    private final RedisConnection redis;

    RedisUserLimits(RedisConnection redis) {
        this.redis = Objects.requireNonNull(redis);
    }

    @Override
    public boolean acquireConnection(ConnectionLease lease, int max, long now, long leaseMs) {
        return acquireConnections(List.of(lease), max, now, leaseMs).isEmpty();
    }

    @Override
    public List<ConnectionLease> acquireConnections(List<ConnectionLease> leases, int max, long now, long leaseMs) {
        return inBatches(leases, ACQUIRE_ALL,
                List.of(Integer.toString(max), Long.toString(now), Long.toString(now + leaseMs), ttl(leaseMs)));
    }

    @Override
    public List<ConnectionLease> renewConnections(Collection<ConnectionLease> leases, long now, long leaseMs) {
        return inBatches(leases, RENEW,
                List.of(Long.toString(now), Long.toString(now + leaseMs), ttl(leaseMs)));
    }

    /**
     * Runs a script over the leases, {@value #SCRIPT_BATCH} per call: the keys are the leases' connection sets, the
     * arguments {@code first} and then the leases' connection ids. Returns the leases whose 1-based indexes the
     * calls returned. On a cluster a call's keys share one slot (a script's keys must), so the leases go in groups
     * by slot: one call per user there, as the users' sets are spread over the slots.
     */
    private List<ConnectionLease> inBatches(Collection<ConnectionLease> leases, LuaScript script, List<String> first) {
        Map<Integer, List<ConnectionLease>> groups = new LinkedHashMap<>();
        for (ConnectionLease lease : leases) {
            String key = connectionsKey(lease.scope(), lease.userId());
            int group = redis.isCluster() ? JedisClusterCRC16.getSlot(key) : 0;
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(lease);
        }
        List<ConnectionLease> picked = new ArrayList<>();
        for (List<ConnectionLease> all : groups.values()) {
            for (int from = 0; from < all.size(); from += SCRIPT_BATCH) {
                List<ConnectionLease> batch = all.subList(from, Math.min(all.size(), from + SCRIPT_BATCH));
                List<String> keys = new ArrayList<>(batch.size());
                List<String> args = new ArrayList<>(first.size() + batch.size());
                args.addAll(first);
                for (ConnectionLease lease : batch) {
                    keys.add(connectionsKey(lease.scope(), lease.userId()));
                    args.add(lease.connectionId());
                }
                for (Object index : (List<?>) script.run(redis, keys, args)) {
                    picked.add(batch.get((int) LuaScript.number(index) - 1));
                }
            }
        }
        return picked;
    }

    @Override
    public void releaseConnection(ConnectionLease lease) {
        String key = connectionsKey(lease.scope(), lease.userId());
        redis.call("to release a connection lease", () -> redis.client().zrem(key, lease.connectionId()));
    }

    @Override
    public void releaseConnections(Collection<ConnectionLease> leases) {
        inBatches(leases, RELEASE_ALL, List.of());
    }

    @Override
    public int connectionCount(String scope, String userId, long now) {
        String key = connectionsKey(scope, userId);
        return (int) (long) redis.call("to count a user's connections",
                () -> redis.client().zcount(key, "(" + now, "+inf"));
    }

    @Override
    public boolean tryAcquire(String bucket, String userId, double perSecond, int burst, long now) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs perSecond > 0 and burst >= 1");
        }
        long fillMs = (long) Math.ceil(burst / perSecond * 1000);
        Object reply = RATE.run(redis, List.of(name("rate", bucket, userId)), List.of(Double.toString(perSecond),
                Integer.toString(burst), Long.toString(now), Long.toString(Math.max(1, fillMs) + 1000)));
        return LuaScript.number(reply) == 1;
    }

    private String connectionsKey(String scope, String userId) {
        return name("connections", scope, userId);
    }

    private String name(String kind, String scope, String userId) {
        if (scope.isEmpty() || scope.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a scope or bucket is non-empty and has no ':': " + scope);
        }
        return redis.prefix() + kind + ":" + scope + ":" + Objects.requireNonNull(userId, "userId");
    }

    private static String ttl(long leaseMs) {
        if (leaseMs <= 0) {
            throw new IllegalArgumentException("leaseMs must be positive, got " + leaseMs);
        }
        return Long.toString(Math.multiplyExact(leaseMs, CONNECTIONS_TTL_LEASES));
    }
}
