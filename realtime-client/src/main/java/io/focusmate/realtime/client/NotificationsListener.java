package io.focusmate.realtime.client;

/**
 * What a notifications connection reports, besides the state, errors and stop of {@link ConnectionListener}. Every
 * method has an empty default: implement the ones you need. Called as {@link ConnectionListener} says: on the
 * client's one event thread, in order.
 */
public interface NotificationsListener extends ConnectionListener {
    /**
     * A frame from a channel: {@code notification} or any other type a backend published (switch on
     * {@link Frame#type()} and ignore the types you do not know). A frame whose position was already delivered is
     * never passed twice.
     */
    default void onFrame(Frame frame) {
    }

    /**
     * The gateway could not replay what this connection missed on {@code channel} ({@code recovered: false}): frames
     * were lost. Reload what you show from your own backend. Called before any frame of the new connection.
     */
    default void onGap(String channel) {
    }
}
