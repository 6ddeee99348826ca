package io.focusmate.realtime;

import java.util.Map;

/**
 * What the gateway needs from a WebSocket upgrade request. Immutable.
 *
 * @param queryToken the {@code token} query parameter, or null
 * @param authorization the {@code Authorization} header, or null
 * @param pathParameters the endpoint's path parameters (such as {@code room_id}); never null
 */
public record Handshake(String queryToken, String authorization, Map<String, String> pathParameters) {

    /** Copies the path parameters. */
    public Handshake {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
    }

    /**
     * The credential: the bearer token of the {@code Authorization} header when there is one, else the {@code token}
     * query parameter, else null.
     */
    public String token() {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String bearer = authorization.substring(7).trim();
            if (!bearer.isEmpty()) {
                return bearer;
            }
        }
        return queryToken == null || queryToken.isBlank() ? null : queryToken;
    }
}
