package io.focusmate.realtime.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link RoomStore} in one process, for a single instance and tests. Every call holds the store's lock, which
 * makes each one atomic.
 */
public final class InMemoryRoomStore implements RoomStore {
    /** Guarded by {@code this}. */
    private final Map<String, Room> rooms = new HashMap<>();

    private static final class Room {
        /** Lease expiry (epoch ms) by "instance|user". */
        final Map<String, Long> leases = new HashMap<>();
        long version;
        TimerState timer = TimerState.initial();
        RoomSettings settings = RoomSettings.initial();
    }

    private Room room(String roomId) {
        return rooms.computeIfAbsent(roomId, id -> new Room());
    }

    private static String key(String instanceId, String userId) {
        return instanceId + "|" + userId;
    }

    private static String userOf(String key) {
        return key.substring(key.indexOf('|') + 1);
    }

    private static boolean present(Room room, String userId, long now) {
        for (Map.Entry<String, Long> lease : room.leases.entrySet()) {
            if (lease.getValue() > now && userOf(lease.getKey()).equals(userId)) {
                return true;
            }
        }
        return false;
    }

    private static void purgeExpired(Room room, String userId, long now) {
        room.leases.entrySet().removeIf(e -> e.getValue() <= now && userOf(e.getKey()).equals(userId));
    }

    @Override
    public synchronized Optional<PresenceChange> join(String roomId, String userId, String instanceId, long now,
                                                      long leaseMs) {
        Room room = room(roomId);
        purgeExpired(room, userId, now);
        boolean wasPresent = present(room, userId, now);
        room.leases.put(key(instanceId, userId), now + leaseMs);
        return wasPresent ? Optional.empty() : Optional.of(new PresenceChange(userId, ++room.version));
    }

    @Override
    public synchronized Optional<PresenceChange> leave(String roomId, String userId, String instanceId, long now) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return Optional.empty();
        }
        boolean held = room.leases.remove(key(instanceId, userId)) != null;
        purgeExpired(room, userId, now);
        if (!held || present(room, userId, now)) {
            return Optional.empty();
        }
        return Optional.of(new PresenceChange(userId, ++room.version));
    }

    @Override
    public synchronized Map<String, List<PresenceChange>> renew(String instanceId,
                                                                Map<String, Set<String>> usersByRoom, long now,
                                                                long leaseMs) {
        Map<String, List<PresenceChange>> rejoined = new HashMap<>();
        usersByRoom.forEach((roomId, users) -> {
            Room room = room(roomId);
            for (String user : users) {
                String key = key(instanceId, user);
                if (room.leases.containsKey(key)) {
                    room.leases.put(key, now + leaseMs);
                    continue;
                }
                boolean wasPresent = present(room, user, now);
                room.leases.put(key, now + leaseMs);
                if (!wasPresent) {
                    rejoined.computeIfAbsent(roomId, r -> new ArrayList<>())
                            .add(new PresenceChange(user, ++room.version));
                }
            }
        });
        return rejoined;
    }

    @Override
    public synchronized List<PresenceChange> expire(String roomId, long now) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return List.of();
        }
        Set<String> removed = new TreeSet<>();
        for (Iterator<Map.Entry<String, Long>> it = room.leases.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> lease = it.next();
            if (lease.getValue() <= now) {
                removed.add(userOf(lease.getKey()));
                it.remove();
            }
        }
        List<PresenceChange> left = new ArrayList<>();
        for (String user : removed) {
            if (!present(room, user, now)) {
                left.add(new PresenceChange(user, ++room.version));
            }
        }
        return left;
    }

    @Override
    public synchronized Presence presence(String roomId, long now) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return new Presence(List.of(), 0);
        }
        Set<String> users = new TreeSet<>();
        room.leases.forEach((key, expiry) -> {
            if (expiry > now) {
                users.add(userOf(key));
            }
        });
        return new Presence(new ArrayList<>(users), room.version);
    }

    @Override
    public synchronized TimerState timer(String roomId) {
        Room room = rooms.get(roomId);
        return room == null ? TimerState.initial() : room.timer;
    }

    @Override
    public synchronized Optional<TimerState> applyTimer(String roomId, TimerCommand command, long durationMs,
                                                        String userId, long now) {
        Room room = room(roomId);
        TimerState next = room.timer.apply(command, durationMs, now, room.version + 1, userId);
        if (next == null) {
            return Optional.empty();
        }
        room.version++;
        room.timer = next;
        return Optional.of(next);
    }

    @Override
    public synchronized RoomSettings settings(String roomId) {
        Room room = rooms.get(roomId);
        return room == null ? RoomSettings.initial() : room.settings;
    }

    @Override
    public synchronized Optional<RoomSettings> replaceSettings(String roomId, String json, long expectedVersion,
                                                               String userId) {
        Room room = room(roomId);
        if (room.settings.version() != expectedVersion) {
            return Optional.empty();
        }
        room.settings = new RoomSettings(json, ++room.version, userId);
        return Optional.of(room.settings);
    }
}
