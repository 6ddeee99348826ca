package io.focusmate.realtime.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Which master serves each slot of a Redis Cluster, as one node said ({@code CLUSTER SLOTS}). A shard is a master
 * with its slots; it is named by its slot ranges ({@code 0-5460}), which stay the same when a replica takes over
 * from a dead master, so a shard keeps its name, its health line and its metrics across a failover. Immutable.
 *
 * @param shards the shards, by their first slot
 */
record ClusterTopology(List<Shard> shards) {
    /**
     * One master and its slots.
     *
     * @param name the slot ranges, such as {@code 0-5460} or {@code 0-99,200-5460}
     * @param master the master's address
     * @param ranges the ranges as pairs of first and last slot
     */
    record Shard(String name, HostAndPort master, List<int[]> ranges) {
        boolean owns(int slot) {
            for (int[] range : ranges) {
                if (slot >= range[0] && slot <= range[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    ClusterTopology {
        shards = List.copyOf(shards);
    }

    /** The shards' names and masters, as text: equal for two reads that found the same. */
    String signature() {
        StringBuilder text = new StringBuilder();
        for (Shard shard : shards) {
            text.append(text.isEmpty() ? "" : " ").append(shard.name()).append('@').append(shard.master());
        }
        return text.toString();
    }

    /** The shard of this name, or null. */
    Shard shard(String name) {
        for (Shard shard : shards) {
            if (shard.name().equals(name)) {
                return shard;
            }
        }
        return null;
    }

    /**
     * Asks the cluster: the first node that answers {@code CLUSTER SLOTS}, trying {@code first} before the other
     * nodes the client knows. The masters are the ones to ask first: a master that gave a slot away or took one over
     * knows at once, while the other nodes learn it from gossip, up to seconds later.
     *
     * @throws JedisException the last node's failure when no node answers
     */
    static ClusterTopology read(RedisClusterClient client, List<HostAndPort> first, JedisClientConfig config) {
        Set<HostAndPort> nodes = new LinkedHashSet<>(first);
        client.getClusterNodes().keySet().forEach(node -> nodes.add(HostAndPort.from(node)));
        JedisException last = new JedisException("no node of the cluster is known");
        for (HostAndPort node : nodes) {
            try {
                return of(ClusterNodes.on(client, node, config, Jedis::clusterSlots));
            } catch (JedisException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The masters, in shard order. */
    List<HostAndPort> masters() {
        return shards.stream().map(Shard::master).toList();
    }

    /** The topology of a {@code CLUSTER SLOTS} reply. */
    static ClusterTopology of(List<Object> reply) {
        Map<HostAndPort, List<int[]>> byMaster = new LinkedHashMap<>();
        for (Object entry : reply) {
            List<?> slot = (List<?>) entry;
            List<?> master = (List<?>) slot.get(2);
            HostAndPort address = new HostAndPort(text(master.get(0)), (int) (long) (Long) master.get(1));
            int[] range = {(int) (long) (Long) slot.get(0), (int) (long) (Long) slot.get(1)};
            byMaster.computeIfAbsent(address, a -> new ArrayList<>()).add(range);
        }
        List<Shard> shards = new ArrayList<>();
        byMaster.forEach((master, ranges) -> {
            ranges.sort(Comparator.comparingInt(range -> range[0]));
            StringBuilder name = new StringBuilder();
            for (int[] range : ranges) {
                name.append(name.isEmpty() ? "" : ",").append(range[0]).append('-').append(range[1]);
            }
            shards.add(new Shard(name.toString(), master, List.copyOf(ranges)));
        });
        shards.sort(Comparator.comparingInt(shard -> shard.ranges().get(0)[0]));
        return new ClusterTopology(shards);
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
