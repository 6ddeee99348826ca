package io.focusmate.realtime.chat;

import io.focusmate.realtime.internal.protocol.Json;
import io.focusmate.realtime.protocol.Channels;
import java.time.Instant;
import java.util.Objects;

/**
 * A chat message a user posts, before the store gives it its id. Immutable.
 *
 * <p>A store keeps each message as its {@code data} object, {@code {"message_id":N,"room_id":...,"sender_id":...,
 * "content":...,"client_msg_id":...,"created_at":...}}, and publishes {@link #frame(String)} of it on
 * {@link #channel()}. A store that assigns the id inside one atomic script puts it between {@link #dataPrefix()}
 * and {@link #dataSuffix()}.
 *
 * @param roomId the chat room
 * @param senderId the user who sent it
 * @param content the text
 * @param clientMsgId the client's retry key, or null: a second post with the same sender and key is a duplicate
 * @param createdAt when the gateway received it
 */
public record ChatMessage(String roomId, String senderId, String content, String clientMsgId, Instant createdAt) {

    /** Checks the required fields. */
    public ChatMessage {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The channel the message is published on, {@code matching:chat:{room_id}}. */
    public String channel() {
        return Channels.chat(roomId);
    }

    /** The stored data object with this id. */
    public String data(long messageId) {
        return dataPrefix() + messageId + dataSuffix();
    }

    /** The data object up to the id: {@code {"message_id":}}. */
    public String dataPrefix() {
        return "{\"message_id\":";
    }

    /** The data object after the id: from the {@code ,} before {@code room_id} to the closing brace. */
    public String dataSuffix() {
        String rest = Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("room_id", roomId);
            gen.writeStringField("sender_id", senderId);
            gen.writeStringField("content", content);
            gen.writeStringField("client_msg_id", clientMsgId);
            gen.writeStringField("created_at", createdAt.toString());
            gen.writeEndObject();
        });
        return "," + rest.substring(1);
    }

    /** The {@code message} frame around a stored data object, as published and as replayed to a retrying sender. */
    public static String frame(String data) {
        return "{\"type\":\"message\",\"data\":" + data + "}";
    }
}
