package io.focusmate.realtime.redis;

import io.focusmate.realtime.chat.ChatMessage;
import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.chat.History;
import io.focusmate.realtime.chat.Posted;
import io.focusmate.realtime.chat.ReadOutcome;
import io.focusmate.realtime.protocol.Channels;
import io.focusmate.realtime.pubsub.PubSubException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link ChatStore} in Redis, shared by every gateway instance that uses the same Redis and key prefix. A post is
 * <b>one Lua script</b> (deduplicate, assign the id, append, publish), so ids have no gap and the channel carries
 * the messages in id order whichever instances post them.
 *
 * <h2>Keys</h2> (each after the backend's key prefix; {@code {room}} is the room id as is)
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
 * <p>Thread-safe: the store holds no mutable state; it shares the backend's connection pool. Calls block on Redis;
 * a Redis failure throws {@link PubSubException} naming the address.
 */
final class RedisChatStore implements ChatStore {
    /** The history size of a deployment that does not choose one. */
    public static final int DEFAULT_HISTORY_SIZE = 1000;
    private static final String COMMAND = "a chat store command";
    /** How long a {@code client_msg_id} is remembered. */
    static final int DEDUP_TTL_HOURS = 24;
    private static final String DEDUP_TTL_MS = Long.toString(Duration.ofHours(DEDUP_TTL_HOURS).toMillis());

    private static final LuaScript POST = LuaScript.chat("post");
    private static final LuaScript HISTORY = LuaScript.chat("history");
    private static final LuaScript MARK_READ = LuaScript.chat("mark-read");
    private final RedisConnection redis;
    private final String historySize;

    /**
     * A store on the broker's Redis connection pool and key prefix. The broker must stay open while in use.
     *
     * @param historySize how many of a room's newest messages are kept ({@value #DEFAULT_HISTORY_SIZE} is the
     *     default of the gateway's configuration); at least 1
     */
    RedisChatStore(RedisConnection redis, int historySize) {
        if (historySize < 1) {
            throw new IllegalArgumentException("historySize must be at least 1, got " + historySize);
        }
        this.redis = Objects.requireNonNull(redis);
        this.historySize = Integer.toString(historySize);
    }

    @Override
    public Posted post(ChatMessage message) {
        String roomId = message.roomId();
        String senderId = message.senderId();
        List<String> keys = new ArrayList<>(List.of(key(roomId, "seq"), key(roomId, "history")));
        if (message.clientMsgId() != null) {
            // The sender's length first, so that ("a:b", "c") and ("a", "b:c") never share a key.
            keys.add(key(roomId, "dedup:" + senderId.length() + ":" + senderId + ":" + message.clientMsgId()));
        }
        List<?> reply = (List<?>) POST.run(redis, keys, List.of(message.dataPrefix(), message.dataSuffix(),
                redis.keys().channel(message.channel()), historySize, DEDUP_TTL_MS, redis.keys().publishCommand()));
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
        String position = redis.call(COMMAND, () -> redis.client().hget(key(roomId, "reads"), userId));
        return position == null ? 0 : Long.parseLong(position);
    }

    @Override
    public boolean isMember(String roomId, String userId) {
        return redis.call(COMMAND, () -> redis.client().sismember(key(roomId, "members"), userId));
    }

    @Override
    public void addMembers(String roomId, Set<String> userIds) {
        if (userIds.isEmpty()) {
            return;
        }
        String[] members = userIds.toArray(new String[0]);
        redis.call(COMMAND, () -> redis.client().sadd(key(roomId, "members"), members));
    }

    private String key(String roomId, String part) {
        String channel = Channels.chat(Objects.requireNonNull(roomId, "roomId"));
        return redis.keys().key(channel, channel, part);
    }
}
