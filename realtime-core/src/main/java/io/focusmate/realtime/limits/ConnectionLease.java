package io.focusmate.realtime.limits;

import java.util.Objects;

/**
 * One counted connection in {@link UserLimits}: the user, the scope it counts in and an id no other connection of
 * the deployment has. Immutable.
 *
 * @param scope what the connection counts toward, a short name without {@code ':'} (the gateway uses the endpoint's
 *     label: {@code notifications}, {@code room}, {@code chat}, each with its own limit)
 * @param userId the user, any non-empty string
 * @param connectionId unique across the deployment (the gateway uses {@code instanceId|connectionNumber})
 */
public record ConnectionLease(String scope, String userId, String connectionId) {

    /** Checks the fields. */
    public ConnectionLease {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        if (scope.isEmpty() || scope.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a scope is non-empty and has no ':': " + scope);
        }
        if (userId.isEmpty() || connectionId.isEmpty()) {
            throw new IllegalArgumentException("userId and connectionId must not be empty");
        }
    }
}
