package io.focusmate.realtime.adapter;

import java.util.Map;

/**
 * What the gateway needs from a WebSocket upgrade request. Immutable.
 *
 * @param query the query parameters (the first value of each), never null
 * @param authorization the {@code Authorization} header, or null
 * @param pathParameters the endpoint's path parameters (such as {@code room_id}); never null
 */
public record Handshake(Map<String, String> query, String authorization, Map<String, String> pathParameters) {

    /** Copies the maps. */
    public Handshake {
        query = query == null ? Map.of() : Map.copyOf(query);
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
    }

    /** A handshake carrying only a {@code token} query parameter (or none when null). */
    public static Handshake withToken(String token) {
        return new Handshake(token == null ? Map.of() : Map.of("token", token), null, Map.of());
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
        String queryToken = query.get("token");
        return queryToken == null || queryToken.isBlank() ? null : queryToken;
    }
}
