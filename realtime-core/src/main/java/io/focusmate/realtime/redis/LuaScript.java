package io.focusmate.realtime.redis;

import io.focusmate.realtime.pubsub.PubSubException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script of a Redis store, run atomically by Redis. Runs by its SHA-1 ({@code EVALSHA}); when Redis does not
 * know it yet (first use, restart, {@code SCRIPT FLUSH}), it is sent once in full ({@code EVAL}), which also caches
 * it in Redis for the next calls. Immutable and thread-safe.
 */
final class LuaScript {
    private final String name;
    private final String source;
    private final String sha;

    LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /**
     * Runs the script.
     *
     * @return the reply: {@code Long} for integers, {@code String} for bulk strings, {@code List} for arrays, null for
     *     nil (Lua {@code false})
     * @throws PubSubException naming the address and the script when Redis fails
     */
    Object run(RedisPubSub redis, List<String> keys, List<String> args) {
        RedisClient client = redis.client();
        try {
            try {
                return client.evalsha(sha, keys, args);
            } catch (JedisNoScriptException e) {
                return client.eval(source, keys, args);
            }
        } catch (JedisException e) {
            throw new PubSubException("Redis at " + redis.url() + " failed the " + name + " script: " + e.getMessage(),
                    e);
        }
    }

    /** A reply element as text (null stays null). */
    static String text(Object reply) {
        if (reply == null) {
            return null;
        }
        if (reply instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return reply.toString();
    }

    /** A reply element as a number (null is 0). */
    static long number(Object reply) {
        if (reply == null) {
            return 0;
        }
        if (reply instanceof Long value) {
            return value;
        }
        String value = text(reply);
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private static String sha1(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
