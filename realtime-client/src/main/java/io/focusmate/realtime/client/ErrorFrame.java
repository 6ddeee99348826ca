package io.focusmate.realtime.client;

/**
 * An {@code error} frame of the gateway: {@code {"type":"error","code":"AUTH_ERROR","message":"..."}}. Switch on
 * the {@code code} (docs/protocol.md section 7); the {@code message} is for people and logs. Immutable.
 *
 * @param code the error code, such as {@code AUTH_ERROR} or {@code TOO_MANY_CONNECTIONS}
 * @param message the human-readable text
 */
public record ErrorFrame(String code, String message) {
}
