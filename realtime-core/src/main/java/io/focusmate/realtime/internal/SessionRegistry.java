package io.focusmate.realtime.internal;

import io.focusmate.realtime.EndpointKind;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every session of this instance, and the authenticated ones by endpoint and user, with the per-user limit, which
 * each endpoint counts on its own. Thread-safe: the check and insert are one atomic step, so two tabs opening at
 * once cannot both take the last place.
 */
final class SessionRegistry {
    private final int maxPerUser;
    private final Set<Session> all = ConcurrentHashMap.newKeySet();
    /** Values are only read or changed inside {@code compute} for their key. */
    private final ConcurrentHashMap<String, Set<Session>> byUser = new ConcurrentHashMap<>();

    SessionRegistry(int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    void track(Session connection) {
        all.add(connection);
    }

    private static String key(EndpointKind endpoint, String userId) {
        return endpoint.ordinal() + ":" + userId;
    }

    /** Adds the user's connection unless they already hold the maximum on its endpoint; returns whether it was. */
    boolean addUserConnection(String userId, Session connection) {
        boolean[] added = {false};
        byUser.compute(key(connection.endpoint(), userId), (user, set) -> {
            Set<Session> current = set == null ? new HashSet<>(4) : set; // a user holds a few
            if (current.size() < maxPerUser) {
                added[0] = current.add(connection);
            }
            return current.isEmpty() ? null : current;
        });
        return added[0];
    }

    /** Takes an accepted connection out of its user's count again (it was refused by the shared limit). */
    void removeUserConnection(Session connection) {
        byUser.computeIfPresent(key(connection.endpoint(), connection.principal().userId()), (user, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    /** Forgets the connection; returns false when it was already forgotten. */
    boolean remove(Session connection) {
        if (!all.remove(connection)) {
            return false;
        }
        if (connection.principal() != null) {
            byUser.computeIfPresent(key(connection.endpoint(), connection.principal().userId()), (user, set) -> {
                set.remove(connection);
                return set.isEmpty() ? null : set;
            });
        }
        return true;
    }

    /** The user's connections on every endpoint. */
    int userConnectionCount(String userId) {
        int count = 0;
        for (EndpointKind endpoint : EndpointKind.values()) {
            int[] one = {0};
            byUser.computeIfPresent(key(endpoint, userId), (user, set) -> {
                one[0] = set.size();
                return set;
            });
            count += one[0];
        }
        return count;
    }

    Collection<Session> all() {
        return all;
    }

    int count(EndpointKind endpoint) {
        int count = 0;
        for (Session connection : all) {
            if (connection.endpoint() == endpoint) {
                count++;
            }
        }
        return count;
    }

    int size() {
        return all.size();
    }
}
