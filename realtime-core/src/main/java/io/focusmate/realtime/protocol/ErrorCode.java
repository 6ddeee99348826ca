package io.focusmate.realtime.protocol;

/**
 * The {@code code} of an {@code {"type":"error"}} frame. Each one is documented in {@code docs/protocol.md}.
 *
 * <p>An error frame never closes the connection by itself; where a close follows, the frame comes first so that a
 * browser (which cannot read handshake statuses) learns why.
 */
public enum ErrorCode {
    /** The token is missing, malformed, forged, expired or lacks {@code sub}. Followed by close 1008. */
    AUTH_ERROR,
    /** The frame is not a JSON object with a string {@code type}, or its {@code data} is malformed. */
    INVALID_MESSAGE,
    /** The frame's {@code type} is not one this endpoint accepts. */
    UNKNOWN_TYPE,
    /** The frame is larger than the configured limit. Followed by close 1009. */
    MESSAGE_TOO_LARGE,
    /** A policy (channel authorizer, room or chat policy) refused the request. */
    FORBIDDEN,
    /** The client sends faster than the server allows. */
    RATE_LIMITED,
    /** The user already has the maximum number of connections. Followed by close 1008. */
    TOO_MANY_CONNECTIONS,
    /** The request does not fit the current state, such as pausing a timer that is not running. */
    CONFLICT,
    /** The server failed; the request may be retried later. */
    INTERNAL
}
