package io.focusmate.realtime.client;

import java.time.Instant;

/**
 * One stored chat message (the {@code data} of a {@code message} frame, docs/protocol.md section 15). Immutable.
 *
 * @param messageId the message's id: 1, 2, 3, ... per chat room, with no gap
 * @param roomId the chat room
 * @param senderId the sender's user id
 * @param content the text, as sent
 * @param clientMsgId the sender's retry key ({@link ChatConnection#send} returns it), or {@code null}
 * @param createdAt when the gateway accepted it
 */
public record ChatMessage(long messageId, String roomId, String senderId, String content, String clientMsgId,
                          Instant createdAt) {
}
