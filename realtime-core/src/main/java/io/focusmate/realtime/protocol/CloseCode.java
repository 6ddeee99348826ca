package io.focusmate.realtime.protocol;

/**
 * Every WebSocket close the server initiates, with its code and reason. The catalogue is mirrored in
 * {@code docs/protocol.md}; reasons stay well under the 123-byte limit of a close frame.
 *
 * <p>{@link #reconnect()} tells a client whether reconnecting (with backoff) can help, or whether the cause must be
 * fixed first (a new token, a smaller message, a fixed client).
 */
public enum CloseCode {
    /** Normal closure. */
    NORMAL(1000, "Normal closure", false),
    /** The server is shutting down. */
    GOING_AWAY(1001, "Server shutting down", true),
    /** The client sent a binary frame; the protocol is JSON text only. */
    UNSUPPORTED_DATA(1003, "Binary frames are not supported", false),
    /** Authentication failed; preceded by an {@code AUTH_ERROR} frame. */
    AUTH_FAILED(1008, "Authentication failed", false),
    /** The user already has the maximum number of connections; preceded by {@code TOO_MANY_CONNECTIONS}. */
    TOO_MANY_CONNECTIONS(1008, "Too many connections", false),
    /** A policy refused the connection; preceded by a {@code FORBIDDEN} frame. */
    FORBIDDEN(1008, "Forbidden", false),
    /** The room id in the path is not valid; preceded by an {@code INVALID_MESSAGE} frame. */
    INVALID_ROOM(1008, "Invalid room id", false),
    /** A recovery position in the query is malformed; preceded by an {@code INVALID_MESSAGE} frame. */
    INVALID_POSITION(1008, "Invalid position", false),
    /** A text frame was larger than the configured limit; preceded by a {@code MESSAGE_TOO_LARGE} frame. */
    MESSAGE_TOO_LARGE(1009, "Message too large", true),
    /** An unexpected server error, or the shared state (Redis) is unavailable. */
    INTERNAL_ERROR(1011, "Internal error", true),
    /** The instance is draining for a restart; reconnect after a jittered delay. */
    SERVICE_RESTART(1012, "Service restart", true),
    /** Nothing was heard from the client (no frame, no pong) within the idle timeout. */
    IDLE_TIMEOUT(4000, "Idle timeout", true),
    /** The client did not read fast enough and its outbound queue overflowed; messages were lost. */
    SLOW_CONSUMER(4001, "Slow consumer", true),
    /** The connection's token expired and was not refreshed in-band; reconnect with a new token. */
    TOKEN_EXPIRED(4003, "Token expired", true),
    /** The client kept sending far over its rate limit; preceded by {@code RATE_LIMITED} frames. */
    RATE_LIMIT_EXCEEDED(4008, "Rate limit exceeded", true);

    private final int code;
    private final String reason;
    private final boolean reconnect;

    CloseCode(int code, String reason, boolean reconnect) {
        this.code = code;
        this.reason = reason;
        this.reconnect = reconnect;
    }

    /** The numeric close code sent on the wire. */
    public int code() {
        return code;
    }

    /** The close reason sent on the wire (ASCII, under 123 bytes). */
    public String reason() {
        return reason;
    }

    /** Whether a client should reconnect (with backoff) after this close. */
    public boolean reconnect() {
        return reconnect;
    }
}
