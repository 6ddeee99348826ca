package io.focusmate.realtime.chat;

import io.focusmate.realtime.internal.protocol.Json;

/** Encoders of the chat endpoint's server frames ({@code docs/protocol.md}, chat). */
final class ChatFrames {
    private ChatFrames() {
    }

    /** {@code connected}: the first frame of an accepted chat connection. */
    static String connected(String userId, String roomId) {
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
    static String history(String roomId, History history) {
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

    /** {@code typing}. */
    static String typing(String roomId, String userId, boolean typing, long expiresInMs) {
        return Json.frame("typing", gen -> {
            gen.writeStringField("room_id", roomId);
            gen.writeStringField("user_id", userId);
            gen.writeBooleanField("is_typing", typing);
            gen.writeNumberField("expires_in_ms", typing ? expiresInMs : 0);
        });
    }

    /** {@code read}. */
    static String read(String roomId, String userId, long messageId) {
        return Json.frame("read", gen -> {
            gen.writeStringField("room_id", roomId);
            gen.writeStringField("user_id", userId);
            gen.writeNumberField("message_id", messageId);
        });
    }
}
