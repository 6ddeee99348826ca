package io.focusmate.realtime;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every connection of this instance, and the authenticated ones by user, with the per-user limit. Thread-safe: the
 * per-user check and insert are one atomic step, so two tabs opening at once cannot both take the last place.
 */
final class ConnectionRegistry {
    private final int maxPerUser;
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    /** Values are only read or changed inside {@code compute} for their key. */
    private final ConcurrentHashMap<String, Set<Connection>> byUser = new ConcurrentHashMap<>();

    ConnectionRegistry(int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    void track(Connection connection) {
        all.add(connection);
    }

    /** Adds the user's connection unless they already hold the maximum; returns whether it was added. */
    boolean addUserConnection(String userId, Connection connection) {
        boolean[] added = {false};
        byUser.compute(userId, (user, set) -> {
            Set<Connection> current = set == null ? new HashSet<>() : set;
            if (current.size() < maxPerUser) {
                added[0] = current.add(connection);
            }
            return current.isEmpty() ? null : current;
        });
        return added[0];
    }

    /** Forgets the connection; returns false when it was already forgotten. */
    boolean remove(Connection connection) {
        if (!all.remove(connection)) {
            return false;
        }
        if (connection.principal() != null) {
            byUser.computeIfPresent(connection.principal().userId(), (user, set) -> {
                set.remove(connection);
                return set.isEmpty() ? null : set;
            });
        }
        return true;
    }

    int userConnectionCount(String userId) {
        int[] count = {0};
        byUser.computeIfPresent(userId, (user, set) -> {
            count[0] = set.size();
            return set;
        });
        return count[0];
    }

    Collection<Connection> all() {
        return all;
    }

    int size() {
        return all.size();
    }
}
