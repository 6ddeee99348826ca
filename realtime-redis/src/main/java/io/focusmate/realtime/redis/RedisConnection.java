package io.focusmate.realtime.redis;

import io.focusmate.realtime.pubsub.PubSubException;
import java.util.function.Supplier;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The connection pool of a {@link RedisBackend}, with its address and key prefix, shared by the broker's publisher
 * and the stores. Thread-safe (the pool is).
 */
final class RedisConnection implements AutoCloseable {
    private final RedisUrl url;
    private final String prefix;
    private final int timeoutMillis;
    private final RedisClient client;

    RedisConnection(RedisUrl url, String prefix, int timeoutMillis) {
        this.url = url;
        this.prefix = prefix;
        this.timeoutMillis = timeoutMillis;
        this.client = RedisClient.builder()
                .hostAndPort(new HostAndPort(url.host(), url.port()))
                .clientConfig(clientConfig("realtime-publisher").resp2().build())
                .build();
    }

    /** The pool. */
    RedisClient client() {
        return client;
    }

    RedisUrl url() {
        return url;
    }

    /** The key prefix, applied to every key and channel on the wire. */
    String prefix() {
        return prefix;
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
     * a stale one. A failed command is never retried, which would risk a duplicate.
     */
    PubSubException failure(String what, JedisException e) {
        if (e instanceof JedisConnectionException) {
            client.getPool().clear();
        }
        return new PubSubException("Redis at " + url + " failed " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        client.close();
    }
}
