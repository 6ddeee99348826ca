package io.focusmate.realtime.protocol;

import io.focusmate.realtime.chat.History;
import java.util.List;

/** Encoders of the chat endpoint's server frames ({@code docs/protocol.md}, chat). */
public final class ChatFrames {
    private ChatFrames() {
    }

    /** {@code connected}: the first frame of an accepted chat connection. */
    public static String connected(String userId, String roomId) {
        return Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", "connected");
            gen.writeStringField("message", "Connected to chat");
            gen.writeStringField("user_id", userId);
            gen.writeStringField("room_id", roomId);
            gen.writeEndObject();
        });
    }

    /** {@code history}: the messages a reconnecting client missed, and whether that is all of them. */
    public static String history(String roomId, History history) {
        return Json.frame("history", gen -> {
            gen.writeStringField("room_id", roomId);
            gen.writeArrayFieldStart("messages");
            for (String message : history.messages()) {
                gen.writeRawValue(message);
            }
            gen.writeEndArray();
            gen.writeBooleanField("recovered", history.complete());
            gen.writeNumberField("last_message_id", history.lastMessageId());
        });
    }

    /** The {@code message} frame around a stored data object. */
    public static String message(String data) {
        return "{\"type\":\"message\",\"data\":" + data + "}";
    }

    /**
     * A message's data object split around its id: {@code [prefix, suffix]}, so that the store can put the id it
     * assigns in between.
     */
    public static List<String> messageData(String roomId, String senderId, String content, String clientMsgId,
                                           String createdAt) {
        String rest = Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("room_id", roomId);
            gen.writeStringField("sender_id", senderId);
            gen.writeStringField("content", content);
            gen.writeStringField("client_msg_id", clientMsgId);
            gen.writeStringField("created_at", createdAt);
            gen.writeEndObject();
        });
        return List.of("{\"message_id\":", "," + rest.substring(1));
    }

    /** {@code typing}. */
    public static String typing(String roomId, String userId, boolean typing, long expiresInMs) {
        return Json.frame("typing", gen -> {
            gen.writeStringField("room_id", roomId);
            gen.writeStringField("user_id", userId);
            gen.writeBooleanField("is_typing", typing);
            gen.writeNumberField("expires_in_ms", typing ? expiresInMs : 0);
        });
    }

    /** {@code read}. */
    public static String read(String roomId, String userId, long messageId) {
        return Json.frame("read", gen -> {
            gen.writeStringField("room_id", roomId);
            gen.writeStringField("user_id", userId);
            gen.writeNumberField("message_id", messageId);
        });
    }
}
