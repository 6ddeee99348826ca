package io.focusmate.realtime.rooms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
        /** The instances holding a lease (expired or not) of each user: the index that keeps a join O(1). */
        final Map<String, Set<String>> instancesByUser = new HashMap<>();
        long version;
        TimerState timer = TimerState.initial();
        RoomSettings settings = RoomSettings.initial();

        void addLease(String instanceId, String userId, long expiry) {
            leases.put(key(instanceId, userId), expiry);
            instancesByUser.computeIfAbsent(userId, u -> new HashSet<>()).add(instanceId);
        }

        boolean removeLease(String instanceId, String userId) {
            Set<String> instances = instancesByUser.get(userId);
            if (instances != null && instances.remove(instanceId) && instances.isEmpty()) {
                instancesByUser.remove(userId);
            }
            return leases.remove(key(instanceId, userId)) != null;
        }

        /** Drops the user's expired leases; true when an unexpired one remains. */
        boolean purgeAndCheck(String userId, long now) {
            boolean present = false;
            for (String instance : List.copyOf(instancesByUser.getOrDefault(userId, Set.of()))) {
                Long expiry = leases.get(key(instance, userId));
                if (expiry == null || expiry <= now) {
                    removeLease(instance, userId);
                } else {
                    present = true;
                }
            }
            return present;
        }

        PresenceChange change(String userId) {
            return new PresenceChange(userId, ++version, instancesByUser.size());
        }
    }

    /** An empty store. */
    public InMemoryRoomStore() {
    }

    private Room room(String roomId) {
        return rooms.computeIfAbsent(roomId, id -> new Room());
    }

    private static String key(String instanceId, String userId) {
        return instanceId + "|" + userId;
    }

    @Override
    public synchronized Optional<PresenceChange> join(String roomId, String userId, String instanceId, long now,
                                                      long leaseMs) {
        Room room = room(roomId);
        boolean wasPresent = room.purgeAndCheck(userId, now);
        room.addLease(instanceId, userId, now + leaseMs);
        return wasPresent ? Optional.empty() : Optional.of(room.change(userId));
    }

    @Override
    public synchronized Optional<PresenceChange> leave(String roomId, String userId, String instanceId, long now) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return Optional.empty();
        }
        boolean held = room.removeLease(instanceId, userId);
        if (!held || room.purgeAndCheck(userId, now)) {
            return Optional.empty();
        }
        return Optional.of(room.change(userId));
    }

    @Override
    public synchronized Map<String, List<PresenceChange>> renew(String instanceId,
                                                                Map<String, Set<String>> usersByRoom, long now,
                                                                long leaseMs) {
        Map<String, List<PresenceChange>> rejoined = new HashMap<>();
        usersByRoom.forEach((roomId, users) -> {
            Room room = room(roomId);
            for (String user : users) {
                if (room.leases.containsKey(key(instanceId, user))) {
                    room.addLease(instanceId, user, now + leaseMs);
                    continue;
                }
                boolean wasPresent = room.purgeAndCheck(user, now);
                room.addLease(instanceId, user, now + leaseMs);
                if (!wasPresent) {
                    rejoined.computeIfAbsent(roomId, r -> new ArrayList<>()).add(room.change(user));
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
        Set<String> touched = new TreeSet<>();
        List<String> expired = new ArrayList<>();
        room.leases.forEach((key, expiry) -> {
            if (expiry <= now) {
                expired.add(key);
            }
        });
        for (String key : expired) {
            int sep = key.indexOf('|');
            String user = key.substring(sep + 1);
            room.removeLease(key.substring(0, sep), user);
            touched.add(user);
        }
        List<String> gone = touched.stream().filter(user -> !room.instancesByUser.containsKey(user)).toList();
        int count = room.instancesByUser.size() + gone.size();
        List<PresenceChange> left = new ArrayList<>();
        for (String user : gone) {
            left.add(new PresenceChange(user, ++room.version, --count));
        }
        return left;
    }

    @Override
    public synchronized Presence presence(String roomId, long now, int listLimit) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return new Presence(List.of(), 0);
        }
        if (room.instancesByUser.size() > listLimit) {
            return new Presence(List.of(), room.instancesByUser.size(), room.version);
        }
        Set<String> users = new TreeSet<>();
        room.leases.forEach((key, expiry) -> {
            if (expiry > now) {
                users.add(key.substring(key.indexOf('|') + 1));
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
