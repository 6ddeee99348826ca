package io.focusmate.realtime.chat;

import io.focusmate.realtime.pubsub.PubSub;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link ChatStore} in one process, for a single instance and tests. Every call holds the store's lock; a post
 * publishes while holding it, so the channel carries messages in id order. History and the retry keys are bounded
 * in memory.
 */
public final class InMemoryChatStore implements ChatStore {
    /** Retry keys remembered per room; older ones are forgotten first. */
    static final int DEDUP_KEYS_PER_ROOM = 10_000;

    private final PubSub pubSub;
    private final int historySize;
    /** Guarded by {@code this}. */
    private final Map<String, Room> rooms = new HashMap<>();

    /** A store that publishes on {@code pubSub} and keeps the newest {@code historySize} messages per room. */
    public InMemoryChatStore(PubSub pubSub, int historySize) {
        if (historySize < 1) {
            throw new IllegalArgumentException("historySize must be at least 1");
        }
        this.pubSub = pubSub;
        this.historySize = historySize;
    }

    private record Message(long id, String data) {
    }

    private static final class Room {
        long lastId;
        final ArrayDeque<Message> history = new ArrayDeque<>();
        final Map<String, Message> dedup = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Message> eldest) {
                return size() > DEDUP_KEYS_PER_ROOM;
            }
        };
        final Map<String, Long> reads = new HashMap<>();
        final Set<String> members = new HashSet<>();
    }

    private Room room(String roomId) {
        return rooms.computeIfAbsent(roomId, id -> new Room());
    }

    @Override
    public synchronized Posted post(ChatMessage posted) {
        Room room = room(posted.roomId());
        String dedupKey = posted.clientMsgId() == null ? null : posted.senderId() + "\u0000" + posted.clientMsgId();
        if (dedupKey != null) {
            Message earlier = room.dedup.get(dedupKey);
            if (earlier != null) {
                return new Posted(earlier.id, earlier.data, true);
            }
        }
        long id = room.lastId + 1;
        String data = posted.data(id);
        pubSub.publish(posted.channel(), ChatMessage.frame(data));
        room.lastId = id;
        Message message = new Message(id, data);
        room.history.addLast(message);
        while (room.history.size() > historySize) {
            room.history.removeFirst();
        }
        if (dedupKey != null) {
            room.dedup.put(dedupKey, message);
        }
        return new Posted(id, data, false);
    }

    @Override
    public synchronized History history(String roomId, long afterMessageId, int max) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return new History(List.of(), afterMessageId == 0, 0);
        }
        List<Message> after = new ArrayList<>();
        for (Iterator<Message> it = room.history.descendingIterator(); it.hasNext() && after.size() < max; ) {
            Message message = it.next();
            if (message.id <= afterMessageId) {
                break;
            }
            after.add(0, message);
        }
        boolean complete;
        if (afterMessageId > room.lastId) {
            complete = false;
            after.clear();
            for (Iterator<Message> it = room.history.descendingIterator(); it.hasNext() && after.size() < max; ) {
                after.add(0, it.next());
            }
        } else {
            complete = after.isEmpty() ? true : after.get(0).id == afterMessageId + 1;
        }
        return new History(after.stream().map(Message::data).toList(), complete, room.lastId);
    }

    @Override
    public synchronized ReadOutcome markRead(String roomId, String userId, long messageId) {
        Room room = room(roomId);
        if (messageId < 1 || messageId > room.lastId) {
            return ReadOutcome.UNKNOWN_MESSAGE;
        }
        long current = room.reads.getOrDefault(userId, 0L);
        if (messageId <= current) {
            return ReadOutcome.NOT_FORWARD;
        }
        room.reads.put(userId, messageId);
        return ReadOutcome.MOVED;
    }

    @Override
    public synchronized long readPosition(String roomId, String userId) {
        Room room = rooms.get(roomId);
        return room == null ? 0 : room.reads.getOrDefault(userId, 0L);
    }

    @Override
    public synchronized boolean isMember(String roomId, String userId) {
        Room room = rooms.get(roomId);
        return room != null && room.members.contains(userId);
    }

    @Override
    public synchronized void addMembers(String roomId, Set<String> userIds) {
        room(roomId).members.addAll(userIds);
    }
}
