package io.focusmate.realtime.redis;

import io.focusmate.realtime.notifications.HistorySettings;
import io.focusmate.realtime.notifications.NotificationHistory;
import io.focusmate.realtime.notifications.Publication;
import io.focusmate.realtime.notifications.Recovery;
import io.focusmate.realtime.notifications.StreamPosition;
import io.focusmate.realtime.pubsub.PubSubException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A {@link NotificationHistory} in Redis, shared by every gateway instance (and every other publisher) on the same
 * Redis and key prefix. Publishing is <b>one atomic step</b> (the idempotency check, the epoch, the next offset, the
 * stream entry, the TTLs and the PUBLISH), and so is a recovery; both are the Lua of
 * {@code notifications-history.lua}, which is also the body of the Redis Function {@value #FUNCTION}.
 *
 * <h2>Keys</h2> (each after the backend's key prefix; {@code {channel}} is the logical channel, such as
 * {@code notifications:user:alice})
 * <ul>
 *   <li>{@code {channel}:history} STREAM: one entry per kept publication, with the explicit id {@code <offset>-0} and
 *       the field {@code f} = the frame exactly as delivered; {@code XADD MAXLEN size}; expires {@code ttl} after the
 *       last publication. A stream because it is an append-only log with ordered ids: a range read by offset
 *       ({@code XRANGE}) and exact trimming are built in, and consecutive ids pack tightly in its listpacks.</li>
 *   <li>{@code {channel}:meta} HASH: {@code epoch}, {@code offset} (the last one); expires {@code metaTtl} after the
 *       last publication or recovery, so that a quiet channel whose publications expired keeps its epoch.</li>
 *   <li>{@code {channel}:idem:{key}} STRING: {@code <epoch>:<offset>\n<frame as delivered>} of the first publication
 *       with that idempotency key, for the idempotency window ({@code SET PX NX}); the frame is kept so that a retry
 *       gets the first frame back even after the history trimmed it.</li>
 * </ul>
 * When the meta hash is missing (a new channel, or a history lost to a flush or to a restart without persistence),
 * the next publication or recovery creates a new epoch (the Redis clock in microseconds and 5 random characters, in
 * base 36: 15 of {@code [0-9a-z]}) at offset 0, and drops any stream left from the old one.
 *
 * <h2>The Function</h2> The library {@value #LIBRARY}, with the function {@value #FUNCTION}, is loaded with
 * {@code FUNCTION LOAD REPLACE} when the backend starts and again whenever its subscriber link (re)attaches, since a
 * Redis restarted without persistence has lost it. Its settings are baked into its source: deployments that share a
 * Redis share the settings of the one that loaded it last. A failed load is one warn line; the gateway itself always
 * publishes with {@code EVALSHA} of the same Lua, so it keeps working (on Redis 6 too) and behaves exactly as
 * {@code FCALL} does. The key prefix must not contain {@code notifications:}: the function finds the logical
 * channel in its key from there.
 *
 * <h2>History off</h2> With a size of 0, {@link #publish} is a plain PUBLISH of the frame unchanged (an idempotency
 * key is ignored) and returns no position; {@link #recover} returns {@code new Recovery(null, false, List.of())}
 * without asking Redis.
 *
 * <p>Thread-safe: the only mutable state is a volatile flag; it shares the backend's connection pool. Calls block on
 * Redis; a Redis failure throws {@link PubSubException} naming the address.
 */
final class RedisNotificationHistory implements NotificationHistory {
    /** The Redis Function library's name. */
    static final String LIBRARY = "realtime";
    /** The function any Redis client can call to publish. */
    static final String FUNCTION = "realtime_publish";
    private static final Logger LOG = LoggerFactory.getLogger(RedisNotificationHistory.class);
    private static final String BODY = "notifications-history.lua";

    private final RedisConnection redis;
    private final HistorySettings settings;
    private final String library;
    private final LuaScript publish;
    private final LuaScript recover;
    /**
     * Written by whichever thread loads the library (the control thread, or the building one): whether the last load
     * succeeded (null before the first), so that a Redis that keeps refusing it is warned about once, not at every
     * reconnect.
     */
    private volatile Boolean functionLoaded;

    RedisNotificationHistory(RedisConnection redis, HistorySettings settings) {
        this.redis = Objects.requireNonNull(redis);
        this.settings = Objects.requireNonNull(settings);
        if (redis.prefix().contains("notifications:")) {
            throw new IllegalArgumentException("a key prefix must not contain 'notifications:', got " + redis.prefix());
        }
        String code = settingsLua(settings, redis.isCluster()) + LuaScript.resource(BODY);
        this.library = "#!lua name=" + LIBRARY + "\n" + code
                + "redis.register_function('" + FUNCTION + "', publish)\n";
        this.publish = LuaScript.of("notification publish", code + "return publish(KEYS, ARGV)\n");
        this.recover = LuaScript.of("notification recover", code + "return recover(KEYS, ARGV)\n");
    }

    /** The settings as the Lua locals the body reads. */
    static String settingsLua(HistorySettings settings, boolean cluster) {
        return "local SIZE, TTL_MS, META_TTL_MS, IDEM_MS, CLUSTER = " + settings.size() + ", "
                + settings.ttl().toMillis() + ", " + settings.metaTtl().toMillis() + ", "
                + settings.idempotencyWindow().toMillis() + ", " + cluster + "\n";
    }

    @Override
    public Publication publish(String channel, String frame, String idempotencyKey) {
        String wire = wire(channel);
        Objects.requireNonNull(frame, "frame");
        checkIdempotencyKey(idempotencyKey);
        if (!settings.enabled()) {
            redis.call("to publish a notification", () -> redis.publish(wire, frame));
            return new Publication(channel, null, frame, false);
        }
        List<String> args = idempotencyKey == null ? List.of(frame) : List.of(frame, idempotencyKey);
        List<String> keys = idempotencyKey == null ? keys(wire)
                : List.of(wire + ":meta", wire + ":history", wire + ":idem:" + idempotencyKey);
        List<?> reply = (List<?>) publish.run(redis, keys, args);
        StreamPosition position = new StreamPosition(LuaScript.text(reply.get(0)), LuaScript.number(reply.get(1)));
        return new Publication(channel, position, LuaScript.text(reply.get(3)), LuaScript.number(reply.get(2)) == 1);
    }

    @Override
    public Recovery recover(String channel, StreamPosition since, int maxFrames) {
        String wire = wire(channel);
        if (!settings.enabled()) {
            return new Recovery(null, false, List.of());
        }
        List<?> reply = (List<?>) recover.run(redis, keys(wire), List.of(since == null ? "" : since.epoch(),
                since == null ? "0" : Long.toString(since.offset()), Integer.toString(Math.max(0, maxFrames))));
        StreamPosition current = new StreamPosition(LuaScript.text(reply.get(0)), LuaScript.number(reply.get(1)));
        List<String> frames = new ArrayList<>(reply.size() - 3);
        for (int i = 3; i < reply.size(); i++) {
            frames.add(LuaScript.text(reply.get(i)));
        }
        return new Recovery(current, LuaScript.number(reply.get(2)) == 1, frames);
    }

    /**
     * Loads (or replaces) the Function library, retrying once on a connection failure (the pool may still hold
     * connections from before a Redis restart; the failure cleared it). A failure is one warn line (and debug lines
     * while it keeps failing).
     *
     * @return whether Redis took it
     */
    boolean loadFunction() {
        return load(redis::onEveryMaster);
    }

    /**
     * Loads the library on one node: the master whose subscriber link just attached (on one Redis, the server), as a
     * master that restarted without persistence, or a new one, has lost it or never had it.
     */
    boolean loadFunctionOn(HostAndPort node) {
        return load(command -> redis.onNode(node, command));
    }

    /** Loads the library where {@code where} runs a command; see {@link #loadFunction()}. */
    private boolean load(Consumer<Consumer<Jedis>> where) {
        for (int attempt = 1; ; attempt++) {
            try {
                redis.call("to load the Function library", () -> {
                    where.accept(jedis -> jedis.functionLoadReplace(library));
                    return null;
                });
                functionLoaded = true;
                return true;
            } catch (PubSubException e) {
                if (attempt == 1 && e.getCause() instanceof JedisConnectionException) {
                    continue;
                }
                return loadFailed(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            } catch (RuntimeException e) {
                return loadFailed(e.toString());
            }
        }
    }

    private boolean loadFailed(String why) {
        boolean first = !Boolean.FALSE.equals(functionLoaded);
        functionLoaded = false;
        String line = "Redis at {} did not load the Function library '{}' ({}): FCALL {} is unavailable to "
                + "publishers that only talk to Redis (it needs Redis 7); the gateway's own publications still go "
                + "through EVALSHA";
        if (first) {
            LOG.warn(line, redis.url(), LIBRARY, why, FUNCTION);
        } else {
            LOG.debug(line, redis.url(), LIBRARY, why, FUNCTION);
        }
        return false;
    }

    /** Whether the last load of the library succeeded. */
    boolean functionLoaded() {
        return Boolean.TRUE.equals(functionLoaded);
    }

    /** The library's source, with this backend's settings. */
    String librarySource() {
        return library;
    }

    /** The keys a script declares: the meta hash and the stream (see notifications-history.lua). */
    private static List<String> keys(String wire) {
        return List.of(wire + ":meta", wire + ":history");
    }

    private String wire(String channel) {
        if (!Objects.requireNonNull(channel, "channel").startsWith("notifications:")) {
            throw new IllegalArgumentException("not a notification channel: " + channel);
        }
        return redis.keys().channel(channel);
    }

    private static void checkIdempotencyKey(String key) {
        if (key == null) {
            return;
        }
        boolean printable = !key.isEmpty() && key.length() <= 128 && key.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (!printable) {
            throw new IllegalArgumentException("an idempotency key is 1 to 128 printable ASCII characters");
        }
    }
}
