package io.focusmate.realtime.client;

/**
 * What a notifications connection reports. Every method has an empty default: implement the ones you need.
 *
 * <p><b>Threading.</b> All calls of one {@link RealtimeClient} come on its one event thread, in order, never
 * concurrently. Return quickly: while a method runs, the client reads nothing (the socket applies back-pressure,
 * and a listener slower than the gateway's queue limit gets its connection closed as a slow consumer, then resumed).
 * An exception thrown by a method is logged and otherwise ignored.
 */
public interface NotificationsListener {
    /** The connection's state changed; called once per change, {@link ConnectionState#STOPPED} last of all. */
    default void onStateChanged(ConnectionState state) {
    }

    /**
     * A frame from a channel: {@code notification} or any other type a backend published (switch on
     * {@link Frame#type()} and ignore the types you do not know). A frame whose position was already delivered is
     * never passed twice.
     */
    default void onFrame(Frame frame) {
    }

    /** The gateway sent an error frame. A close may follow ({@code AUTH_ERROR} on connect), or not. */
    default void onError(ErrorFrame error) {
    }

    /**
     * The gateway could not replay what this connection missed on {@code channel} ({@code recovered: false}): frames
     * were lost. Reload what you show from your own backend. Called before any frame of the new connection.
     */
    default void onGap(String channel) {
    }

    /** The connection stopped for good, right after the state became {@link ConnectionState#STOPPED}. */
    default void onStopped(Stopped stopped) {
    }
}
