package io.focusmate.realtime.internal.protocol;

import io.focusmate.realtime.protocol.ErrorCode;

/**
 * Encoders for the frames the server itself writes. Each returns the exact JSON text sent to the client; the field
 * order is fixed so that the frames match {@code docs/protocol.md} byte for byte.
 */
public final class ServerFrames {
    private static final String PONG = "{\"type\":\"pong\"}";

    private ServerFrames() {
    }

    /** {@code {"type":"connected","message":"...","user_id":"..."}}, the first frame of an accepted connection. */
    public static String connected(String message, String userId) {
        return Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", "connected");
            gen.writeStringField("message", message);
            gen.writeStringField("user_id", userId);
            gen.writeEndObject();
        });
    }

    /** {@code {"type":"pong"}}, the answer to a client {@code ping}. */
    public static String pong() {
        return PONG;
    }

    /** {@code {"type":"error","code":"...","message":"..."}}. */
    public static String error(ErrorCode code, String message) {
        return Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", "error");
            gen.writeStringField("code", code.name());
            gen.writeStringField("message", message);
            gen.writeEndObject();
        });
    }

    /** {@code {"type":"token_expiring","data":{"expires_at":<ms>}}}: refresh the token in-band before then. */
    public static String tokenExpiring(long expiresAtMillis) {
        return Json.frame("token_expiring", gen -> gen.writeNumberField("expires_at", expiresAtMillis));
    }

    /**
     * {@code {"type":"refreshed","data":{"expires_at":<ms>}}}: the new token was accepted; {@code expires_at} is
     * null when it does not expire.
     */
    public static String refreshed(long expiresAtMillis) {
        return Json.frame("refreshed", gen -> {
            if (expiresAtMillis == 0) {
                gen.writeNullField("expires_at");
            } else {
                gen.writeNumberField("expires_at", expiresAtMillis);
            }
        });
    }

    /** An acknowledgement such as {@code {"type":"subscribed","data":{"channel":"..."}}}. */
    public static String channelAck(String type, String channel) {
        return Json.frame(type, gen -> gen.writeStringField("channel", channel));
    }
}
