package io.focusmate.realtime.redis;

import java.util.function.Function;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClusterClient;

/**
 * A command on one node of a Redis Cluster (a topology read, a Function load, a PING): on a pooled connection of the
 * cluster client when it knows the node, so that the slots read every few seconds open no connection each time, or
 * on a connection of its own, opened and closed here, for a node it does not know yet. Stateless.
 */
final class ClusterNodes {
    private ClusterNodes() {
    }

    static <T> T on(RedisClusterClient client, HostAndPort node, JedisClientConfig config, Function<Jedis, T> command) {
        ConnectionPool pool = client.getClusterNodes().get(node.toString());
        if (pool == null) {
            try (Jedis jedis = new Jedis(node, config)) {
                return command.apply(jedis);
            }
        }
        try (Connection connection = pool.getResource()) {
            return command.apply(new Jedis(connection));
        }
    }
}
