package io.focusmate.realtime.redis;

import io.focusmate.realtime.protocol.Channels;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.rooms.Presence;
import io.focusmate.realtime.rooms.PresenceChange;
import io.focusmate.realtime.rooms.RoomSettings;
import io.focusmate.realtime.rooms.RoomStore;
import io.focusmate.realtime.rooms.TimerCommand;
import io.focusmate.realtime.rooms.TimerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link RoomStore} in Redis, shared by every gateway instance that uses the same Redis and key prefix. Each
 * mutating call is <b>one Lua script</b>, so Redis runs it as one atomic step whichever instance sends it; the
 * scripts are sent by SHA-1 and in full only when Redis does not know them yet.
 *
 * <h2>Keys</h2> (each after the backend's key prefix; {@code {id}} is the room id as is)
 * <ul>
 *   <li>{@code room:{id}:presence} ZSET: member {@code instanceId|userId} (split on the first {@code |}: instance ids
 *       must not contain it, user ids may), score = the lease's expiry in epoch ms. Expires {@code 10 × leaseMs}
 *       after the last join or renewal, so a room that every instance abandoned vanishes.</li>
 *   <li>{@code room:{id}:users} HASH: the index of the presence set. Field = user id, value = the instances holding
 *       one of the user's leases (expired or not), joined by {@code |}; a user with no lease has no field. Same
 *       expiry as the presence set. {@code HLEN} is the participant count.</li>
 *   <li>{@code room:{id}:version} counter: the room's change counter, incremented for every change (a presence
 *       join or leave, including one found by expiry, a timer command, a settings update).</li>
 *   <li>{@code room:{id}:timer} HASH: {@code status, duration_ms, remaining_ms, ends_at, version, updated_by}.</li>
 *   <li>{@code room:{id}:settings} HASH: {@code json} (stored as given, never parsed), {@code version},
 *       {@code updated_by}.</li>
 * </ul>
 * The counter, timer and settings expire 7 days after the room's last change or lease
 * renewal: a dead room does not leak forever, and a live one (its instances renew leases) keeps its state. Should
 * the counter alone be lost (eviction), the next change continues above the versions stored in the timer and
 * settings. A missing timer or settings hash reads as {@link TimerState#initial()} or {@link RoomSettings#initial()}.
 *
 * <p>Cost: a join, a leave and a count touch only the user's own leases (through the index), whatever the room's
 * size; a renewal is linear in this instance's users there, an expiry sweep in the expired leases, and a listing
 * (a room at most {@code listLimit} large) in the room's leases.
 *
 * <p>A {@code null} {@code updatedBy} user is stored as no field, and an empty one reads back as null.
 *
 * <p>Thread-safe: the store holds no mutable state; it shares the backend's connection pool. Calls block on Redis;
 * a Redis failure throws {@link PubSubException} naming the address.
 */
final class RedisRoomStore implements RoomStore {
    /** How long the counter, timer and settings of a room without any activity are kept. */
    static final int ROOM_TTL_DAYS = 7;
    private static final String ROOM_TTL_MS = Long.toString(Duration.ofDays(ROOM_TTL_DAYS).toMillis());
    /** Presence keys expire this many leases after the last join or renewal. */
    private static final long PRESENCE_TTL_LEASES = 10;

    private static final LuaScript JOIN = LuaScript.room("join");
    private static final LuaScript LEAVE = LuaScript.room("leave");
    private static final LuaScript RENEW = LuaScript.room("renew");
    private static final LuaScript EXPIRE = LuaScript.room("expire");
    private static final LuaScript PRESENCE = LuaScript.room("presence");
    private static final LuaScript APPLY_TIMER = LuaScript.room("apply-timer");
    private static final LuaScript REPLACE_SETTINGS = LuaScript.room("replace-settings");
    private static final String READ = "a room store read";

    private final RedisConnection redis;

    /** A store on the backend's connection pool and key prefix. */
    RedisRoomStore(RedisConnection redis) {
        this.redis = Objects.requireNonNull(redis);
    }

    @Override
    public Optional<PresenceChange> join(String roomId, String userId, String instanceId, long now, long leaseMs) {
        checkInstance(instanceId);
        Object reply = JOIN.run(redis, keys(roomId), List.of(ROOM_TTL_MS, instanceId, userId, Long.toString(now),
                Long.toString(now + leaseMs), presenceTtl(leaseMs)));
        return change(userId, reply);
    }

    @Override
    public Optional<PresenceChange> leave(String roomId, String userId, String instanceId, long now) {
        checkInstance(instanceId);
        Object reply = LEAVE.run(redis, keys(roomId), List.of(ROOM_TTL_MS, instanceId, userId, Long.toString(now)));
        return change(userId, reply);
    }

    @Override
    public Map<String, List<PresenceChange>> renew(String instanceId, Map<String, Set<String>> usersByRoom, long now,
                                                   long leaseMs) {
        checkInstance(instanceId);
        Map<String, List<PresenceChange>> joins = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> room : usersByRoom.entrySet()) {
            if (room.getValue().isEmpty()) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of(ROOM_TTL_MS, instanceId, Long.toString(now),
                    Long.toString(now + leaseMs), presenceTtl(leaseMs)));
            args.addAll(room.getValue());
            List<PresenceChange> changes = changes(RENEW.run(redis, keys(room.getKey()), args));
            if (!changes.isEmpty()) {
                joins.put(room.getKey(), changes);
            }
        }
        return joins;
    }

    @Override
    public List<PresenceChange> expire(String roomId, long now) {
        return changes(EXPIRE.run(redis, keys(roomId), List.of(ROOM_TTL_MS, Long.toString(now))));
    }

    @Override
    public Presence presence(String roomId, long now, int listLimit) {
        List<?> reply = (List<?>) PRESENCE.run(redis, keys(roomId), List.of(ROOM_TTL_MS, Long.toString(now),
                Integer.toString(Math.max(0, listLimit))));
        TreeSet<String> users = new TreeSet<>();
        for (int i = 2; i < reply.size(); i++) {
            users.add(LuaScript.text(reply.get(i)));
        }
        return new Presence(List.copyOf(users), (int) LuaScript.number(reply.get(1)), LuaScript.number(reply.get(0)));
    }

    @Override
    public TimerState timer(String roomId) {
        Map<String, String> hash = redis.call(READ, () -> redis.client().hgetAll(key(roomId, "timer")));
        if (hash.isEmpty()) {
            return TimerState.initial();
        }
        return new TimerState(hash.getOrDefault("status", TimerState.IDLE), parse(hash.get("duration_ms")),
                parse(hash.get("remaining_ms")), parse(hash.get("ends_at")), parse(hash.get("version")),
                user(hash.get("updated_by")));
    }

    @Override
    public Optional<TimerState> applyTimer(String roomId, TimerCommand command, long durationMs, String userId,
                                           long now) {
        Object reply = APPLY_TIMER.run(redis, keys(roomId), List.of(ROOM_TTL_MS, command.name(),
                Long.toString(durationMs), userId == null ? "" : userId, Long.toString(now)));
        if (reply == null) {
            return Optional.empty();
        }
        List<?> state = (List<?>) reply;
        return Optional.of(new TimerState(LuaScript.text(state.get(0)), LuaScript.number(state.get(1)),
                LuaScript.number(state.get(2)), LuaScript.number(state.get(3)), LuaScript.number(state.get(4)),
                user(userId)));
    }

    @Override
    public RoomSettings settings(String roomId) {
        Map<String, String> hash = redis.call(READ, () -> redis.client().hgetAll(key(roomId, "settings")));
        if (!hash.containsKey("json")) {
            return RoomSettings.initial();
        }
        return new RoomSettings(hash.get("json"), parse(hash.get("version")), user(hash.get("updated_by")));
    }

    @Override
    public Optional<RoomSettings> replaceSettings(String roomId, String json, long expectedVersion, String userId) {
        Objects.requireNonNull(json, "json");
        Object reply = REPLACE_SETTINGS.run(redis, keys(roomId), List.of(ROOM_TTL_MS, json,
                Long.toString(expectedVersion), userId == null ? "" : userId));
        if (reply == null) {
            return Optional.empty();
        }
        return Optional.of(new RoomSettings(json, LuaScript.number(reply), user(userId)));
    }

    private List<String> keys(String roomId) {
        return List.of(key(roomId, "presence"), key(roomId, "version"), key(roomId, "timer"),
                key(roomId, "settings"), key(roomId, "users"));
    }

    private String key(String roomId, String part) {
        Objects.requireNonNull(roomId, "roomId");
        return redis.keys().key("room:" + roomId, Channels.room(roomId), part);
    }

    private static String presenceTtl(long leaseMs) {
        if (leaseMs <= 0) {
            throw new IllegalArgumentException("leaseMs must be positive, got " + leaseMs);
        }
        return Long.toString(Math.multiplyExact(leaseMs, PRESENCE_TTL_LEASES));
    }

    private static void checkInstance(String instanceId) {
        if (instanceId.indexOf('|') >= 0) {
            throw new IllegalArgumentException("an instance id must not contain '|': " + instanceId);
        }
    }

    private static Optional<PresenceChange> change(String userId, Object reply) {
        if (reply == null) {
            return Optional.empty();
        }
        List<?> pair = (List<?>) reply;
        return Optional.of(new PresenceChange(userId, LuaScript.number(pair.get(0)),
                (int) LuaScript.number(pair.get(1))));
    }

    private static List<PresenceChange> changes(Object reply) {
        List<?> flat = (List<?>) reply;
        List<PresenceChange> changes = new ArrayList<>(flat.size() / 3);
        for (int i = 0; i + 2 < flat.size(); i += 3) {
            changes.add(new PresenceChange(LuaScript.text(flat.get(i)), LuaScript.number(flat.get(i + 1)),
                    (int) LuaScript.number(flat.get(i + 2))));
        }
        return changes;
    }

    private static long parse(String value) {
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private static String user(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
