package io.focusmate.realtime.redis;

import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.chat.History;
import io.focusmate.realtime.chat.Posted;
import io.focusmate.realtime.chat.ReadOutcome;
import io.focusmate.realtime.pubsub.PubSubException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@link ChatStore} in Redis, shared by every gateway instance that uses the same Redis and key prefix. A post is
 * <b>one Lua script</b> (deduplicate, assign the id, append, publish), so ids have no gap and the channel carries
 * the messages in id order whichever instances post them.
 *
 * <h2>Keys</h2> (each after the {@link RedisPubSub}'s key prefix; {@code {room}} is the room id as is)
 * <ul>
 *   <li>{@code matching:chat:{room}:seq}: the newest message id (INCR).</li>
 *   <li>{@code matching:chat:{room}:history} STREAM: one entry per message, with the id {@code 0-<message id>} and
 *       the field {@code d} = the message's data JSON, trimmed to exactly {@code historySize} entries
 *       ({@value #DEFAULT_HISTORY_SIZE} by default).</li>
 *   <li>{@code matching:chat:{room}:dedup:{len(sender)}:{sender}:{client_msg_id}} STRING: {@code <id>\n<data>} of the first post
 *       with that retry key, for 24 h; written only for posts that carry a
 *       {@code client_msg_id}. It holds the data too, so that a retry returns the original message even after the
 *       history trimmed it.</li>
 *   <li>{@code matching:chat:{room}:reads} HASH: user id to read position.</li>
 *   <li>{@code matching:chat:{room}:members} SET: the room's members, written by the matching service.</li>
 * </ul>
 * The frame {@code {"type":"message","data":<data>}} is published on the prefixed channel from inside the post
 * script. Chat keys other than the dedup keys have no TTL: the room's lifecycle belongs to the matching service.
 * Should the {@code seq} key alone be lost, the next post continues after the newest id in the history.
 *
 * <p>Thread-safe: the store holds no mutable state; it shares the broker's connection pool. Calls block on Redis;
 * a Redis failure throws {@link PubSubException} naming the address.
 */
public final class RedisChatStore implements ChatStore {
    /** The history size of a deployment that does not choose one. */
    public static final int DEFAULT_HISTORY_SIZE = 1000;
    /** How long a {@code client_msg_id} is remembered. */
    static final int DEDUP_TTL_HOURS = 24;
    private static final String DEDUP_TTL_MS = Long.toString(Duration.ofHours(DEDUP_TTL_HOURS).toMillis());

    /**
     * KEYS: seq, history[, dedup]. ARGV: dataPrefix, dataSuffix, wire channel, historySize, dedupTtlMs. Returns
     * {duplicate (0/1), id, data}.
     */
    private static final LuaScript POST = new LuaScript("chat post", """
            local seq, history, dedup = KEYS[1], KEYS[2], KEYS[3]
            if dedup then
              local earlier = redis.call('GET', dedup)
              if earlier then
                local nl = string.find(earlier, '\\n', 1, true)
                return { 1, string.sub(earlier, 1, nl - 1), string.sub(earlier, nl + 1) }
              end
            end
            local id = redis.call('INCR', seq)
            if id == 1 then
              local newest = redis.call('XREVRANGE', history, '+', '-', 'COUNT', 1)[1]
              if newest then
                local last = tonumber(string.match(newest[1], '^0%-(%d+)$') or '0')
                if last >= id then
                  id = last + 1
                  redis.call('SET', seq, string.format('%.0f', id))
                end
              end
            end
            local sid = string.format('%.0f', id)
            local data = ARGV[1] .. sid .. ARGV[2]
            redis.call('XADD', history, 'MAXLEN', ARGV[4], '0-' .. sid, 'd', data)
            if dedup then
              redis.call('SET', dedup, sid .. '\\n' .. data, 'PX', ARGV[5])
            end
            redis.call('PUBLISH', ARGV[3], '{"type":"message","data":' .. data .. '}')
            return { 0, sid, data }
            """);

    /**
     * KEYS: seq, history. ARGV: after (>= 0), max (>= 0). Returns {lastId, complete (0/1), data...}: the newest
     * {@code max} messages after {@code after}, oldest first, complete when they are every message in
     * ({@code after}, lastId]; when {@code after} is past lastId (the room's ids restarted), the newest {@code max}
     * messages, incomplete.
     */
    private static final LuaScript HISTORY = new LuaScript("chat history", """
            local last = tonumber(redis.call('GET', KEYS[1]) or '0')
            local after, max = tonumber(ARGV[1]), tonumber(ARGV[2])
            local entries = {}
            if max > 0 then
              local from = '(0-' .. ARGV[1]
              if after > last then from = '-' end
              entries = redis.call('XREVRANGE', KEYS[2], '+', from, 'COUNT', max)
            end
            local complete = 0
            if after <= last and #entries == last - after then complete = 1 end
            local out = { last, complete }
            for i = #entries, 1, -1 do
              local fields = entries[i][2]
              for j = 1, #fields, 2 do
                if fields[j] == 'd' then table.insert(out, fields[j + 1]) end
              end
            end
            return out
            """);

    /** KEYS: seq, reads. ARGV: user, id. Returns the outcome's name. */
    private static final LuaScript MARK_READ = new LuaScript("chat read", """
            local id = tonumber(ARGV[2])
            local last = tonumber(redis.call('GET', KEYS[1]) or '0')
            if id < 1 or id > last then return 'UNKNOWN_MESSAGE' end
            local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
            if id <= current then return 'NOT_FORWARD' end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            return 'MOVED'
            """);

    private final RedisPubSub redis;
    private final String historySize;

    /**
     * A store on the broker's Redis connection pool and key prefix. The broker must stay open while in use.
     *
     * @param historySize how many of a room's newest messages are kept ({@value #DEFAULT_HISTORY_SIZE} is the
     *     default of the gateway's configuration); at least 1
     */
    public RedisChatStore(RedisPubSub redis, int historySize) {
        if (historySize < 1) {
            throw new IllegalArgumentException("historySize must be at least 1, got " + historySize);
        }
        this.redis = Objects.requireNonNull(redis);
        this.historySize = Integer.toString(historySize);
    }

    @Override
    public Posted post(String roomId, String channel, String senderId, String clientMsgId, String dataPrefix,
                       String dataSuffix) {
        Objects.requireNonNull(senderId, "senderId");
        List<String> keys = new ArrayList<>(List.of(key(roomId, "seq"), key(roomId, "history")));
        if (clientMsgId != null) {
            // The sender's length first, so that ("a:b", "c") and ("a", "b:c") never share a key.
            keys.add(key(roomId, "dedup:" + senderId.length() + ":" + senderId + ":" + clientMsgId));
        }
        List<?> reply = (List<?>) POST.run(redis, keys, List.of(dataPrefix, dataSuffix,
                redis.prefix() + Objects.requireNonNull(channel, "channel"), historySize, DEDUP_TTL_MS));
        return new Posted(LuaScript.number(reply.get(1)), LuaScript.text(reply.get(2)),
                LuaScript.number(reply.get(0)) == 1);
    }

    @Override
    public History history(String roomId, long afterMessageId, int max) {
        List<?> reply = (List<?>) HISTORY.run(redis, List.of(key(roomId, "seq"), key(roomId, "history")),
                List.of(Long.toString(Math.max(0, afterMessageId)), Integer.toString(Math.max(0, max))));
        List<String> messages = new ArrayList<>(reply.size() - 2);
        for (int i = 2; i < reply.size(); i++) {
            messages.add(LuaScript.text(reply.get(i)));
        }
        return new History(messages, LuaScript.number(reply.get(1)) == 1, LuaScript.number(reply.get(0)));
    }

    @Override
    public ReadOutcome markRead(String roomId, String userId, long messageId) {
        if (messageId < 1) {
            return ReadOutcome.UNKNOWN_MESSAGE;
        }
        Object reply = MARK_READ.run(redis, List.of(key(roomId, "seq"), key(roomId, "reads")),
                List.of(Objects.requireNonNull(userId, "userId"), Long.toString(messageId)));
        return ReadOutcome.valueOf(LuaScript.text(reply));
    }

    @Override
    public long readPosition(String roomId, String userId) {
        String position = call(() -> redis.client().hget(key(roomId, "reads"), userId));
        return position == null ? 0 : Long.parseLong(position);
    }

    @Override
    public boolean isMember(String roomId, String userId) {
        return call(() -> redis.client().sismember(key(roomId, "members"), userId));
    }

    @Override
    public void addMembers(String roomId, Set<String> userIds) {
        if (userIds.isEmpty()) {
            return;
        }
        call(() -> redis.client().sadd(key(roomId, "members"), userIds.toArray(new String[0])));
    }

    private String key(String roomId, String part) {
        return redis.prefix() + "matching:chat:" + Objects.requireNonNull(roomId, "roomId") + ":" + part;
    }

    private <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw new PubSubException("Redis at " + redis.url() + " failed a chat store command: " + e.getMessage(),
                    e);
        }
    }
}
