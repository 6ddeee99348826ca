package io.focusmate.realtime.client;

/**
 * A notifications connection ({@code /api/v1/notifications/ws}): a {@link Connection} that resumes from its
 * positions.
 *
 * <p><b>Delivery.</b> Within the gateway's history window (by default the newest 100 publications per channel, for
 * 24 h) nothing published after the first {@code connected} is lost, and nothing is delivered twice, across any
 * number of reconnects, to the same or another gateway instance. When more was missed, the listener's
 * {@link NotificationsListener#onGap} says so; a gap is never silent.
 *
 * <p>Thread-safe; no method blocks.
 */
public interface NotificationsConnection extends Connection {
    /** The newest position seen on each channel, to persist; see {@link RealtimeClient.Builder#positions}. */
    Positions positions();
}
