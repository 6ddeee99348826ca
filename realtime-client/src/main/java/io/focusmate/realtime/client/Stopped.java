package io.focusmate.realtime.client;

/**
 * Why a connection stopped for good ({@link ConnectionListener#onStopped}). Immutable.
 *
 * @param closeCode the close code: 1000 when the application closed it, 1003 or 1008 when the gateway refused it,
 *     or the code of the last failure when the attempts ran out (1006 for a socket that never opened)
 * @param reason the close reason, or a description of the last failure
 * @param lastError the error frame that came before the close (such as {@code AUTH_ERROR}), or {@code null}
 */
public record Stopped(int closeCode, String reason, ErrorFrame lastError) {
}
