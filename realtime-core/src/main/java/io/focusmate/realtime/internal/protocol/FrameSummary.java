package io.focusmate.realtime.internal.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A channel payload checked and read in one streaming pass, once for every recipient: it is a server frame (one JSON
 * object with a top-level string {@code type} and nothing after it), and these are the few members routing looks
 * at. Immutable.
 *
 * @param type the frame type
 * @param stamp the top-level {@code ts} (epoch ms) that the gateway's publishers add, or 0
 * @param version {@code data.version}, or -1
 * @param userId {@code data.user_id}, or null
 * @param messageId {@code data.message_id}, or -1
 * @param count {@code data.count}, or -1
 * @param channel the top-level {@code channel} of a recoverable notification frame, or null
 * @param offset the top-level {@code offset} of a recoverable notification frame, or -1
 * @param epoch the top-level {@code epoch} of a recoverable notification frame, or null
 */
public record FrameSummary(String type, long stamp, long version, String userId, long messageId, long count,
                           String channel, long offset, String epoch) {

    /** Reads a payload; null when it is not a server frame. Builds no tree. */
    public static FrameSummary parse(String payload) {
        if (payload == null || payload.isEmpty()) {
            return null;
        }
        FrameSummary fast = FrameScanner.scan(payload);
        return fast != null ? fast : parseWithJackson(payload);
    }

    /** The reference reading: Jackson's streaming parser, for whatever {@link FrameScanner} leaves to it. */
    static FrameSummary parseWithJackson(String payload) {
        try (JsonParser parser = Json.FACTORY.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Reader reader = new Reader();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                reader.topLevel(parser, parser.currentName(), parser.nextToken());
            }
            boolean valid = token == JsonToken.END_OBJECT && reader.type != null && parser.nextToken() == null;
            return valid ? reader.summary() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads a frame already known to be a server frame; an unreadable one gives type "" and no fields. */
    public static FrameSummary of(String payload) {
        FrameSummary summary = parse(payload);
        return summary != null ? summary : new FrameSummary("", 0, -1, null, -1, -1, null, -1, null);
    }

    /**
     * Whether the payload is one well-formed JSON object with a top-level string {@code type} and nothing after it:
     * anything else is dropped by every gateway.
     */
    public static boolean isServerFrame(String payload) {
        return parse(payload) != null;
    }

    /** The members read so far; confined to one parse. */
    private static final class Reader {
        String type;
        long stamp;
        long version = -1;
        String userId;
        long messageId = -1;
        long count = -1;
        String channel;
        long offset = -1;
        String epoch;

        void topLevel(JsonParser parser, String name, JsonToken value) throws IOException {
            if ("type".equals(name)) {
                type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            } else if ("ts".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                stamp = Math.max(0, parser.getLongValue());
            } else if ("offset".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                offset = Math.max(-1, parser.getLongValue());
            } else if ("channel".equals(name) && value == JsonToken.VALUE_STRING) {
                channel = parser.getText();
            } else if ("epoch".equals(name) && value == JsonToken.VALUE_STRING) {
                epoch = parser.getText();
            } else if ("data".equals(name) && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    data(parser, parser.currentName(), parser.nextToken());
                }
                return;
            }
            parser.skipChildren();
        }

        void data(JsonParser parser, String field, JsonToken value) throws IOException {
            if ("version".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                version = parser.getLongValue();
            } else if ("message_id".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                messageId = parser.getLongValue();
            } else if ("count".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                count = parser.getLongValue();
            } else if ("user_id".equals(field) && value == JsonToken.VALUE_STRING) {
                userId = parser.getText();
            } else {
                parser.skipChildren();
            }
        }

        FrameSummary summary() {
            return new FrameSummary(type, stamp, version, userId, messageId, count, channel, offset, epoch);
        }
    }
}
