package io.focusmate.realtime.client;

/**
 * What a chat connection reports, besides the state, errors and stop of {@link ConnectionListener}. Every method has
 * an empty default. Called as {@link ConnectionListener} says: on the client's one event thread, in order.
 */
public interface ChatListener extends ConnectionListener {
    /**
     * A message, from the {@code history} that follows each connect or live: each message id once, in id order
     * (the sender's own messages included: {@link ChatMessage#clientMsgId()} tells which of its sends it was).
     */
    default void onMessage(ChatMessage message) {
    }

    /**
     * Messages were missed and cannot be replayed ({@code history} with {@code recovered: false}: more than 100
     * missed, or trimmed from the history). {@code restarted} is true when the room's ids started again (the
     * gateway's Redis lost its data): drop the cached messages. Called before the messages that follow it.
     */
    default void onGap(boolean restarted) {
    }

    /** Any other frame of the chat ({@code typing}, {@code read}, or a type the client does not know). */
    default void onFrame(Frame frame) {
    }
}
