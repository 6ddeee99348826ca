package io.focusmate.realtime.client;

/**
 * A chat connection ({@code /api/v1/matching/chat/{room_id}/ws}): a {@link Connection} that never loses or repeats
 * a message. It resumes with {@code last_message_id} (the highest id it delivered), so every message is delivered
 * once, in id order; and what the application sends is queued and written with a {@code client_msg_id}, sent again
 * on each reconnect until the gateway has acknowledged it, so a retry never stores a message twice.
 *
 * <p>Thread-safe; no method blocks.
 */
public interface ChatConnection extends Connection {
    /** The chat room id. */
    String roomId();

    /** The highest message id delivered so far (0 before any): persist it to resume a later run from there. */
    long lastMessageId();

    /**
     * Queues {@code content} and sends it now when connected, otherwise on the next connect, in order; it is sent
     * again on each reconnect until its own {@code message} frame comes back (then {@link ChatListener#onMessage}).
     * Also sent again a second after a {@code RATE_LIMITED} or {@code INTERNAL} error.
     *
     * @return the message's {@code client_msg_id} (a random UUID)
     * @throws IllegalArgumentException when {@code content} is blank or over 2000 characters
     * @throws IllegalStateException when the connection is stopped, or 1,000 messages are already waiting
     */
    String send(String content);

    /** {@code typing}: whether the user is typing (sent only while connected; not queued). */
    void typing(boolean typing);

    /** {@code read}: the user has read up to {@code messageId} (sent only while connected; not queued). */
    void read(long messageId);
}
