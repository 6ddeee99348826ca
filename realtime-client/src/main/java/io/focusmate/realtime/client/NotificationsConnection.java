package io.focusmate.realtime.client;

/**
 * A notifications connection ({@code /api/v1/notifications/ws}) that keeps itself open: it reconnects by close code
 * with backoff, refreshes its token in-band, detects a dead socket with pings, and resumes from its positions.
 *
 * <p><b>Delivery.</b> Within the gateway's history window (by default the newest 100 publications per channel, for
 * 24 h) nothing published after the first {@code connected} is lost, and nothing is delivered twice, across any
 * number of reconnects, to the same or another gateway instance. When more was missed, the listener's
 * {@link NotificationsListener#onGap} says so; a gap is never silent.
 *
 * <p>Thread-safe; no method blocks.
 */
public interface NotificationsConnection extends AutoCloseable {
    /** The current state. */
    ConnectionState state();

    /** The newest position seen on each channel, to persist; see {@link RealtimeClient.Builder#positions}. */
    Positions positions();

    /** Closes the socket with 1000 and stops for good; the listener gets {@link ConnectionState#STOPPED}. Idempotent. */
    @Override
    void close();
}
