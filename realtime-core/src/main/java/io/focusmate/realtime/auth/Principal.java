package io.focusmate.realtime.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * An authenticated user, and how long the proof of it lasts.
 *
 * @param userId the token's {@code sub}; the id in {@code notifications:user:{user_id}}
 * @param expiresAt when the proof stops being accepted (for a JWT: its {@code exp} plus the clock skew the
 *                  authenticator allows), or null when it does not expire; a connection lives no longer than this
 *                  unless the client refreshes its token in-band
 */
public record Principal(String userId, Instant expiresAt) {
    public Principal {
        Objects.requireNonNull(userId, "userId");
    }

    /** A user whose proof does not expire. */
    public Principal(String userId) {
        this(userId, null);
    }
}
