package io.focusmate.realtime.redis;

import io.focusmate.realtime.pubsub.PubSubException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The connection pool of a {@link RedisBackend}, with its address and key layout, shared by the broker's publisher
 * and the stores: one server's pool, or a Redis Cluster client (a pool per node, commands routed by slot, redirects
 * followed). Thread-safe (the pools are).
 */
final class RedisConnection implements AutoCloseable {
    private final RedisUrl url;
    private final KeyLayout keys;
    private final int timeoutMillis;
    private final UnifiedJedis client;

    RedisConnection(RedisUrl url, String prefix, int timeoutMillis) {
        this.url = url;
        if (url.cluster() && (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0)) {
            throw new IllegalArgumentException("on a Redis Cluster the key prefix must not contain '{' or '}' (the "
                    + "gateway puts each channel in braces, its hash tag), got " + prefix);
        }
        this.keys = new KeyLayout(prefix, url.cluster());
        this.timeoutMillis = timeoutMillis;
        if (url.cluster()) {
            Set<HostAndPort> seeds = new LinkedHashSet<>();
            url.nodes().forEach(node -> seeds.add(new HostAndPort(node.host(), node.port())));
            this.client = RedisClusterClient.builder()
                    .nodes(seeds)
                    .clientConfig(clientConfig("realtime-publisher").resp2().build())
                    // a failed command is retried on the slot's new owner for at most one timeout
                    .maxTotalRetriesDuration(Duration.ofMillis(timeoutMillis))
                    .build();
        } else {
            this.client = RedisClient.builder()
                    .hostAndPort(new HostAndPort(url.host(), url.port()))
                    .clientConfig(clientConfig("realtime-publisher").resp2().build())
                    .build();
        }
    }

    /** The pool, or the cluster client. */
    UnifiedJedis client() {
        return client;
    }

    /** The cluster client; only when {@link RedisUrl#cluster()}. */
    RedisClusterClient cluster() {
        return (RedisClusterClient) client;
    }

    boolean isCluster() {
        return url.cluster();
    }

    RedisUrl url() {
        return url;
    }

    /** The key prefix, applied to every key and channel on the wire. */
    String prefix() {
        return keys.prefix();
    }

    /** Where keys and channels are on the wire. */
    KeyLayout keys() {
        return keys;
    }

    /**
     * The cluster's shards, as the first node that answers tells them, asking {@code first} before the others;
     * only when {@link RedisUrl#cluster()}.
     *
     * @throws PubSubException naming the address when no node answers
     */
    ClusterTopology topology(List<HostAndPort> first) {
        return call("to tell its slots (CLUSTER SLOTS)", () -> ClusterTopology.read(cluster(), first,
                clientConfig("realtime-admin").resp2().build()));
    }

    /** Publishes on a wire channel: {@code SPUBLISH} on a cluster (the slot's shard only), else {@code PUBLISH}. */
    long publish(String wire, String payload) {
        return isCluster() ? cluster().spublish(wire, payload) : client.publish(wire, payload);
    }

    /**
     * Runs a command on the server, or on every master of the cluster, such as loading a Function library, which a
     * cluster does not share between shards.
     */
    void onEveryMaster(Consumer<Jedis> command) {
        if (!isCluster()) {
            onNode(null, command);
            return;
        }
        for (ClusterTopology.Shard shard : topology(List.of()).shards()) {
            onNode(shard.master(), command);
        }
    }

    /** Runs a command on one node of the cluster (its pooled connection when known), or on the server. */
    void onNode(HostAndPort node, Consumer<Jedis> command) {
        if (client instanceof RedisClient single) {
            try (Connection connection = single.getPool().getResource()) {
                command.accept(new Jedis(connection));
            }
            return;
        }
        ClusterNodes.on(cluster(), node, clientConfig("realtime-admin").resp2().build(), jedis -> {
            command.accept(jedis);
            return null;
        });
    }

    /** A connection's settings: the timeouts, database, TLS and credentials of the URL. */
    DefaultJedisClientConfig.Builder clientConfig(String name) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .database(url.database())
                .clientName(name)
                .ssl(url.tls());
        if (url.password() != null) {
            config.user(url.user()).password(url.password());
        }
        return config;
    }

    /** Runs a command on the pool; a failure is a {@link PubSubException} naming the address and {@code what}. */
    <T> T call(String what, Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw failure(what, e);
        }
    }

    /**
     * The exception for a failed command. After a connection failure the pool's idle connections are most likely
     * dead too (Redis restarted): they are dropped, so that the next command opens a fresh one instead of failing on
     * a stale one (a cluster client drops a failed node's connections itself). A failed command is never retried
     * here, which would risk a duplicate.
     */
    PubSubException failure(String what, JedisException e) {
        if (e instanceof JedisConnectionException && client instanceof RedisClient single) {
            single.getPool().clear();
        }
        return new PubSubException("Redis at " + url + " failed " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        client.close();
    }
}
