package io.focusmate.realtime.redis;

import io.focusmate.realtime.pubsub.PubSubException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script of a Redis store, run atomically by Redis. Its source is a resource file next to this class, whose
 * header names its KEYS and ARGV. Runs by its SHA-1 ({@code EVALSHA}); when Redis does not know it yet (first use,
 * restart, {@code SCRIPT FLUSH}), it is sent once in full ({@code EVAL}), which also caches it in Redis for the next
 * calls. Immutable and thread-safe.
 */
final class LuaScript {
    /** How many times a script refused with TRYAGAIN (a slot migrating) is sent in all, 10 ms apart. */
    private static final int TRY_AGAIN_ATTEMPTS = 50;
    private static final long TRY_AGAIN_PAUSE_NANOS = 10_000_000;

    private final String name;
    private final String source;
    private final String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /** A room script: {@code room-preamble.lua} (the shared functions), then {@code room-<name>.lua}. */
    static LuaScript room(String name) {
        return new LuaScript("room " + name, resource("room-preamble.lua") + resource("room-" + name + ".lua"));
    }

    /** A user limits script, {@code limits-<name>.lua}. */
    static LuaScript limits(String name) {
        return new LuaScript("limits " + name, resource("limits-" + name + ".lua"));
    }

    /** A chat script, {@code chat-<name>.lua}. */
    static LuaScript chat(String name) {
        return new LuaScript("chat " + name, resource("chat-" + name + ".lua"));
    }

    /** A script whose source its store assembles (the notification history bakes its settings in). */
    static LuaScript of(String name, String source) {
        return new LuaScript(name, source);
    }

    /** A resource file next to this class, as text. */
    static String resource(String file) {
        try (InputStream in = LuaScript.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the Lua script " + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the script.
     *
     * @return the reply: {@code Long} for integers, {@code String} for bulk strings, {@code List} for arrays, null for
     *     nil (Lua {@code false})
     * @throws PubSubException naming the address and the script when Redis fails
     */
    Object run(RedisConnection redis, List<String> keys, List<String> args) {
        for (int attempt = 1; ; attempt++) {
            try {
                try {
                    return redis.client().evalsha(sha, keys, args);
                } catch (JedisNoScriptException e) {
                    return redis.client().eval(source, keys, args);
                }
            } catch (JedisDataException e) {
                if (attempt < TRY_AGAIN_ATTEMPTS && isTryAgain(e)) {
                    LockSupport.parkNanos(TRY_AGAIN_PAUSE_NANOS); // a pause between attempts, not a wait on an event
                    continue;
                }
                throw redis.failure("the " + name + " script", e);
            } catch (JedisException e) {
                throw redis.failure("the " + name + " script", e);
            }
        }
    }

    /**
     * {@code TRYAGAIN}: the cluster is migrating the keys' slot and holds some of them on each side, so it ran nothing;
     * the script is sent again shortly, when the keys are together on one side.
     */
    private static boolean isTryAgain(JedisDataException e) {
        return e.getMessage() != null && e.getMessage().startsWith("TRYAGAIN");
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
