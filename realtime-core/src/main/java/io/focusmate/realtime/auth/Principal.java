package io.focusmate.realtime.auth;

/**
 * An authenticated user.
 *
 * @param userId the token's {@code sub}; the id in {@code notifications:user:{user_id}}
 */
public record Principal(String userId) {
}
