package io.focusmate.realtime.auth;

/** Turns the credential of a WebSocket handshake into a {@link Principal}. Implementations are thread-safe. */
@FunctionalInterface
public interface Authenticator {
    /**
     * @param token the bearer token, or null when the client sent none
     * @throws AuthenticationException when the token is missing or not valid
     */
    Principal authenticate(String token) throws AuthenticationException;
}
