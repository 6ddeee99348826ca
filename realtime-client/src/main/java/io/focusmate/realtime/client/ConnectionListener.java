package io.focusmate.realtime.client;

/**
 * What every endpoint connection reports: its state, the gateway's error frames and why it stopped. The endpoint
 * listeners ({@link NotificationsListener}, {@link RoomListener}, {@link ChatListener}) add their own events. Every
 * method has an empty default: implement the ones you need.
 *
 * <p><b>Threading.</b> All calls of one {@link RealtimeClient} come on its one event thread, in order, never
 * concurrently. Return quickly: while a method runs, the client reads nothing (the socket applies back-pressure,
 * and a listener slower than the gateway's queue limit gets its connection closed as a slow consumer, then resumed).
 * An exception thrown by a method is logged and otherwise ignored.
 */
public interface ConnectionListener {
    /** The connection's state changed; called once per change, {@link ConnectionState#STOPPED} last of all. */
    default void onStateChanged(ConnectionState state) {
    }

    /** The gateway sent an error frame. A close may follow ({@code AUTH_ERROR} on connect), or not. */
    default void onError(ErrorFrame error) {
    }

    /** The connection stopped for good, right after the state became {@link ConnectionState#STOPPED}. */
    default void onStopped(Stopped stopped) {
    }
}
