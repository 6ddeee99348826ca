package io.focusmate.realtime.client;

/**
 * One endpoint connection of a {@link RealtimeClient} (notifications, a room, a chat) that keeps itself open: it
 * reconnects by close code with backoff, refreshes its token in-band and detects a dead socket with pings
 * (docs/protocol.md section 12). Thread-safe; no method blocks.
 */
public interface Connection extends AutoCloseable {
    /** The current state. */
    ConnectionState state();

    /**
     * Reconnects at once instead of waiting out a backoff delay, for example when the network is back: a pending
     * retry runs now, and a connected socket is closed and replaced; the failed-attempt count starts again from
     * zero. Does nothing while the first attempt is under way or after {@link ConnectionState#STOPPED}.
     */
    void reconnectNow();

    /** Closes the socket with 1000 and stops for good; the listener gets {@link ConnectionState#STOPPED}. Idempotent. */
    @Override
    void close();
}
