package io.focusmate.realtime.redis;

import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.room.Presence;
import io.focusmate.realtime.room.PresenceChange;
import io.focusmate.realtime.room.RoomSettings;
import io.focusmate.realtime.room.RoomStore;
import io.focusmate.realtime.room.TimerCommand;
import io.focusmate.realtime.room.TimerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@link RoomStore} in Redis, shared by every gateway instance that uses the same Redis and key prefix. Each
 * mutating call is <b>one Lua script</b>, so Redis runs it as one atomic step whichever instance sends it; the
 * scripts are sent by SHA-1 and in full only when Redis does not know them yet.
 *
 * <h2>Keys</h2> (each after the {@link RedisPubSub}'s key prefix; {@code {id}} is the room id as is)
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
 * <p>Thread-safe: the store holds no mutable state; it shares the broker's connection pool. Calls block on Redis;
 * a Redis failure throws {@link PubSubException} naming the address.
 */
public final class RedisRoomStore implements RoomStore {
    /** How long the counter, timer and settings of a room without any activity are kept. */
    static final int ROOM_TTL_DAYS = 7;
    private static final String ROOM_TTL_MS = Long.toString(Duration.ofDays(ROOM_TTL_DAYS).toMillis());
    /** Presence keys expire this many leases after the last join or renewal. */
    private static final long PRESENCE_TTL_LEASES = 10;

    /** KEYS: presence, counter, timer, settings, users. ARGV[1]: the TTL in ms of counter, timer and settings. */
    private static final String PREAMBLE = """
            local presence, counter, timer, settings, users = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
            local ttl = ARGV[1]
            local function num(n) return string.format('%.0f', n) end
            local function touch()
              redis.call('PEXPIRE', counter, ttl)
              redis.call('PEXPIRE', timer, ttl)
              redis.call('PEXPIRE', settings, ttl)
            end
            -- A missing counter (a new room, or a Redis that lost its data) starts at Redis's clock in microseconds,
            -- so versions keep rising across a data loss and gateways never take new events for stale ones.
            local function nextVersion()
              local v
              if redis.call('EXISTS', counter) == 0 then
                local t = redis.call('TIME')
                v = tonumber(t[1]) * 1000000 + tonumber(t[2])
              else
                v = redis.call('INCR', counter)
              end
              local floor = math.max(tonumber(redis.call('HGET', timer, 'version') or '0'),
                                     tonumber(redis.call('HGET', settings, 'version') or '0'))
              if v <= floor then
                v = floor + 1
              end
              redis.call('SET', counter, num(v))
              redis.call('PEXPIRE', counter, ttl)
              return v
            end
            -- the users index: user -> the instances holding one of their leases, joined by '|'
            local function instancesOf(user)
              local out = {}
              for instance in string.gmatch(redis.call('HGET', users, user) or '', '[^|]+') do
                table.insert(out, instance)
              end
              return out
            end
            local function setInstances(user, list)
              if #list == 0 then redis.call('HDEL', users, user)
              else redis.call('HSET', users, user, table.concat(list, '|')) end
            end
            local function without(list, instance)
              local out = {}
              for _, i in ipairs(list) do if i ~= instance then table.insert(out, i) end end
              return out
            end
            local function addLease(instance, user, expiry)
              redis.call('ZADD', presence, expiry, instance .. '|' .. user)
              local list = without(instancesOf(user), instance)
              table.insert(list, instance)
              setInstances(user, list)
            end
            local function removeLease(instance, user)
              local had = redis.call('ZREM', presence, instance .. '|' .. user) == 1
              setInstances(user, without(instancesOf(user), instance))
              return had
            end
            -- drops the user's expired leases; true when an unexpired one remains
            local function purgeAndCheck(user, now)
              local keep = {}
              for _, instance in ipairs(instancesOf(user)) do
                local member = instance .. '|' .. user
                local expiry = redis.call('ZSCORE', presence, member)
                if expiry and tonumber(expiry) > now then
                  table.insert(keep, instance)
                elseif expiry then
                  redis.call('ZREM', presence, member)
                end
              end
              setInstances(user, keep)
              return #keep > 0
            end
            local function keepPresence(presenceTtl)
              redis.call('PEXPIRE', presence, presenceTtl)
              redis.call('PEXPIRE', users, presenceTtl)
            end
            """;

    /** ARGV: ttl, instance, user, now, expiry, presenceTtl. Returns {version, count}, or nil. */
    private static final LuaScript JOIN = new LuaScript("room join", PREAMBLE + """
            local user = ARGV[3]
            local present = purgeAndCheck(user, tonumber(ARGV[4]))
            addLease(ARGV[2], user, ARGV[5])
            keepPresence(ARGV[6])
            touch()
            if present then return false end
            return { nextVersion(), redis.call('HLEN', users) }
            """);

    /** ARGV: ttl, instance, user, now. Returns {version, count}, or nil. */
    private static final LuaScript LEAVE = new LuaScript("room leave", PREAMBLE + """
            local user = ARGV[3]
            local had = removeLease(ARGV[2], user)
            local present = purgeAndCheck(user, tonumber(ARGV[4]))
            if had and not present then return { nextVersion(), redis.call('HLEN', users) } end
            return false
            """);

    /** ARGV: ttl, instance, now, expiry, presenceTtl, users... Returns {user, version, count, ...} of the joins. */
    private static final LuaScript RENEW = new LuaScript("room renew", PREAMBLE + """
            local instance, now, expiry = ARGV[2], tonumber(ARGV[3]), ARGV[4]
            local out = {}
            for i = 6, #ARGV do
              local user = ARGV[i]
              if redis.call('ZSCORE', presence, instance .. '|' .. user) then
                redis.call('ZADD', presence, expiry, instance .. '|' .. user)
              else
                local present = purgeAndCheck(user, now)
                addLease(instance, user, expiry)
                if not present then
                  table.insert(out, user)
                  table.insert(out, nextVersion())
                  table.insert(out, redis.call('HLEN', users))
                end
              end
            end
            keepPresence(ARGV[5])
            touch()
            return out
            """);

    /** ARGV: ttl, now. Returns {user, version, count, ...} of the users now absent everywhere, sorted. */
    private static final LuaScript EXPIRE = new LuaScript("room expire", PREAMBLE + """
            local gone = redis.call('ZRANGEBYSCORE', presence, '-inf', ARGV[2])
            if #gone == 0 then return {} end
            redis.call('ZREMRANGEBYSCORE', presence, '-inf', ARGV[2])
            local lists, touched = {}, {}
            for _, member in ipairs(gone) do
              local sep = string.find(member, '|', 1, true)
              local instance, user = string.sub(member, 1, sep - 1), string.sub(member, sep + 1)
              if not lists[user] then
                lists[user] = instancesOf(user)
                table.insert(touched, user)
              end
              lists[user] = without(lists[user], instance)
            end
            table.sort(touched)
            local out = {}
            for _, user in ipairs(touched) do
              setInstances(user, lists[user])
            end
            local count = redis.call('HLEN', users)
            local left = {}
            for _, user in ipairs(touched) do
              if #lists[user] == 0 then table.insert(left, user) end
            end
            count = count + #left
            for _, user in ipairs(left) do
              count = count - 1
              table.insert(out, user)
              table.insert(out, nextVersion())
              table.insert(out, count)
            end
            return out
            """);

    /**
     * ARGV: ttl, now, listLimit. Returns {version, count, user, ...}: each present user once when there are at most
     * listLimit users (by the index), else none.
     */
    private static final LuaScript PRESENCE = new LuaScript("room presence", PREAMBLE + """
            local version = tonumber(redis.call('GET', counter) or '0')
            local indexed = redis.call('HLEN', users)
            if indexed > tonumber(ARGV[3]) then return { version, indexed } end
            local out, seen, count = { version, 0 }, {}, 0
            for _, member in ipairs(redis.call('ZRANGEBYSCORE', presence, '(' .. ARGV[2], '+inf')) do
              local user = string.sub(member, string.find(member, '|', 1, true) + 1)
              if not seen[user] then
                seen[user] = true
                count = count + 1
                table.insert(out, user)
              end
            end
            out[2] = count
            return out
            """);

    /**
     * ARGV: ttl, command, duration, user ('' for none), now. Returns {status, duration, remaining, ends_at, version},
     * or nil when the command does not apply.
     */
    private static final LuaScript APPLY_TIMER = new LuaScript("room timer", PREAMBLE + """
            local command, user, now = ARGV[2], ARGV[4], tonumber(ARGV[5])
            local t = redis.call('HMGET', timer, 'status', 'duration_ms', 'remaining_ms', 'ends_at')
            local status = t[1] or 'idle'
            local duration = tonumber(t[2] or '0')
            local remaining = tonumber(t[3] or '0')
            local endsAt = tonumber(t[4] or '0')
            if command == 'START' then
              duration = tonumber(ARGV[3])
              status, remaining, endsAt = 'running', duration, now + duration
            elseif command == 'PAUSE' then
              if status ~= 'running' then return false end
              status, remaining, endsAt = 'paused', math.max(0, endsAt - now), 0
            elseif command == 'RESUME' then
              if status ~= 'paused' then return false end
              status, endsAt = 'running', now + remaining
            elseif command == 'RESET' then
              status, remaining, endsAt = 'idle', duration, 0
            else
              return redis.error_reply('unknown timer command ' .. command)
            end
            local v = nextVersion()
            redis.call('HSET', timer, 'status', status, 'duration_ms', num(duration), 'remaining_ms', num(remaining),
                       'ends_at', num(endsAt), 'version', num(v))
            if user == '' then
              redis.call('HDEL', timer, 'updated_by')
            else
              redis.call('HSET', timer, 'updated_by', user)
            end
            touch()
            return { status, num(duration), num(remaining), num(endsAt), num(v) }
            """);

    /** ARGV: ttl, json, expectedVersion, user ('' for none). Returns the new version, or nil on a conflict. */
    private static final LuaScript REPLACE_SETTINGS = new LuaScript("room settings", PREAMBLE + """
            local current = tonumber(redis.call('HGET', settings, 'version') or '0')
            if current ~= tonumber(ARGV[3]) then return false end
            local v = nextVersion()
            redis.call('HSET', settings, 'json', ARGV[2], 'version', num(v))
            if ARGV[4] == '' then
              redis.call('HDEL', settings, 'updated_by')
            else
              redis.call('HSET', settings, 'updated_by', ARGV[4])
            end
            touch()
            return v
            """);

    private final RedisPubSub redis;

    /** A store on the broker's Redis connection pool and key prefix. The broker must stay open while in use. */
    public RedisRoomStore(RedisPubSub redis) {
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
        Map<String, String> hash = call(() -> redis.client().hgetAll(key(roomId, "timer")));
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
        Map<String, String> hash = call(() -> redis.client().hgetAll(key(roomId, "settings")));
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
        return redis.prefix() + "room:" + Objects.requireNonNull(roomId, "roomId") + ":" + part;
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

    private <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw new PubSubException("Redis at " + redis.url() + " failed a room store read: " + e.getMessage(), e);
        }
    }
}
