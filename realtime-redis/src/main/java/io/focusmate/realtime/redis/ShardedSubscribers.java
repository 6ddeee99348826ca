package io.focusmate.realtime.redis;

import io.focusmate.realtime.Backoff;
import io.focusmate.realtime.internal.pubsub.ChannelListeners;
import io.focusmate.realtime.pubsub.PubSubException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The subscriber loops of a broker on a Redis Cluster: one per shard, each with one connection to the shard's
 * master, subscribed with {@code SSUBSCRIBE} to the channels of the shard's slots. It reads the cluster's slots
 * ({@code CLUSTER SLOTS}) when a loop cannot connect or Redis dropped channels (a slot moved), and every few seconds
 * besides; when they changed it starts loops for new shards, stops those of shards that are gone, sends a loop whose
 * shard has a new master (a replica took over) to it, and has every loop compare all its channels again.
 *
 * <p>Threads: {@link #refresh} runs on the broker's control thread, the only writer; {@link #loops()} is read by
 * any thread.
 */
final class ShardedSubscribers {
    private static final Logger LOG = LoggerFactory.getLogger(ShardedSubscribers.class);
    /** How often the slots are read while every loop is attached and nothing asked for it. */
    private static final long QUIET_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final SubscriberLoop.Owner owner;
    private final RedisConnection redis;
    private final String instanceId;
    private final ChannelListeners listeners;
    private final Backoff backoff;
    private final long canaryTimeoutNanos;
    /** Written by the control thread: the loops, one per shard of {@link #topology}. */
    private volatile List<SubscriberLoop> loops = List.of();
    /** Written by the control thread, read by the loops' threads: the slots as last read, null before. */
    private volatile ClusterTopology topology;
    /** Control thread only: when the slots were last read. */
    private long readAtNanos;
    /** Any thread sets, the control thread clears: the slots should be read at the next refresh. */
    private volatile boolean stale = true;
    /**
     * Any thread sets, the control thread clears: until when the slots are read at every refresh, because Redis
     * dropped channels (a slot moved) and the node asked may not know where to yet; 0 when not.
     */
    private volatile long movingUntilNanos;

    ShardedSubscribers(SubscriberLoop.Owner owner, RedisConnection redis, String instanceId,
                       ChannelListeners listeners, Backoff backoff, long canaryTimeoutNanos) {
        this.owner = owner;
        this.redis = redis;
        this.instanceId = instanceId;
        this.listeners = listeners;
        this.backoff = backoff;
        this.canaryTimeoutNanos = canaryTimeoutNanos;
    }

    List<SubscriberLoop> loops() {
        return loops;
    }

    /** Any thread: read the slots at the next refresh. */
    void markStale() {
        stale = true;
    }

    /** Any thread: Redis dropped channels, so slots are moving: read them at every refresh until they changed. */
    void slotsMoving() {
        movingUntilNanos = System.nanoTime() + QUIET_REFRESH_NANOS;
        stale = true;
    }

    /** Whether the slots were read at least once. */
    boolean known() {
        return !loops.isEmpty();
    }

    /**
     * Control thread: reads the slots when asked to, when a loop is not attached, or every few seconds, and applies
     * what changed.
     */
    void refresh() {
        long now = System.nanoTime();
        boolean detached = loops.stream().anyMatch(loop -> !loop.isAttached());
        long moving = movingUntilNanos;
        if (moving != 0 && now - moving > 0) {
            movingUntilNanos = moving = 0;
        }
        if (!stale && moving == 0 && !detached && now - readAtNanos < QUIET_REFRESH_NANOS && topology != null) {
            return;
        }
        stale = false;
        readAtNanos = now;
        ClusterTopology fresh;
        try {
            fresh = redis.topology(topology == null ? List.of() : topology.masters());
        } catch (PubSubException e) {
            LOG.debug("Reading the cluster's slots failed: {}", e.getMessage());
            return;
        }
        if (fresh.shards().isEmpty() || topology != null && fresh.signature().equals(topology.signature())) {
            return;
        }
        apply(fresh);
    }

    private void apply(ClusterTopology fresh) {
        movingUntilNanos = 0;
        ClusterTopology old = topology;
        topology = fresh;
        Map<String, SubscriberLoop> byName = new LinkedHashMap<>();
        loops.forEach(loop -> byName.put(loop.target().name(), loop));
        List<SubscriberLoop> next = new ArrayList<>();
        for (ClusterTopology.Shard shard : fresh.shards()) {
            SubscriberLoop loop = byName.remove(shard.name());
            if (loop == null) {
                loop = new SubscriberLoop(owner, redis, target(shard), listeners, backoff, canaryTimeoutNanos);
                Thread thread = new Thread(loop, "realtime-redis-subscriber-" + shard.name());
                thread.setDaemon(true);
                thread.start();
            } else if (!shard.master().equals(old.shard(shard.name()).master())) {
                LOG.info("Redis shard {} has a new master, {}: moving its subscriptions there", shard.name(),
                        shard.master());
                loop.reconnectNow(); // its link may be on the old master, now a replica or gone
            }
            next.add(loop);
        }
        byName.values().forEach(SubscriberLoop::stop);
        loops = List.copyOf(next);
        if (old != null) {
            LOG.info("Redis Cluster slots changed: {} shard(s), {}", next.size(), fresh.signature());
        }
        next.forEach(SubscriberLoop::resyncAll);
        owner.requestSync();
    }

    /** Stops every loop. */
    void stop() {
        loops.forEach(SubscriberLoop::stop);
    }

    private SubscriberLoop.Target target(ClusterTopology.Shard shard) {
        String name = shard.name();
        return new SubscriberLoop.Target(name, () -> masterOf(name, shard.master()),
                wire -> shard.owns(JedisClusterCRC16.getSlot(wire)), controlChannel(shard), true);
    }

    /** The master of a shard as last read, or the first one when the shard is gone. */
    private HostAndPort masterOf(String name, HostAndPort first) {
        ClusterTopology now = topology;
        ClusterTopology.Shard shard = now == null ? null : now.shard(name);
        return shard == null ? first : shard.master();
    }

    /** The instance's own channel in one of the shard's slots, for its canary. */
    private String controlChannel(ClusterTopology.Shard shard) {
        for (int n = 0; ; n++) {
            String wire = redis.keys().channel("realtime:instance:" + instanceId + ":" + n);
            if (shard.owns(JedisClusterCRC16.getSlot(wire))) {
                return wire;
            }
        }
    }
}
