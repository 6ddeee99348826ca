package io.focusmate.realtime.chat;

/**
 * The outcome of posting a chat message. Immutable.
 *
 * @param messageId the message's id (the earlier one for a duplicate)
 * @param data the message's JSON object, as stored and sent in the {@code data} of the {@code message} frame
 * @param duplicate whether the client's {@code client_msg_id} was seen before: nothing was stored or published
 */
public record Posted(long messageId, String data, boolean duplicate) {
}
