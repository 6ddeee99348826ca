package io.focusmate.realtime.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The few members of a channel frame that routing looks at, read in one streaming pass: {@code type}, and in
 * {@code data}: {@code version}, {@code user_id}, {@code message_id} and {@code count}. Immutable.
 *
 * @param type the frame type
 * @param version {@code data.version}, or -1
 * @param userId {@code data.user_id}, or null
 * @param messageId {@code data.message_id}, or -1
 * @param count {@code data.count}, or -1
 */
public record FrameSummary(String type, long version, String userId, long messageId, long count) {

    /** Reads a frame already known to be a server frame; an unreadable one gives type "" and no fields. */
    public static FrameSummary of(String payload) {
        String type = "";
        long version = -1;
        String userId = null;
        long messageId = -1;
        long count = -1;
        try (JsonParser parser = Json.FACTORY.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new FrameSummary(type, version, userId, messageId, count);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
                    type = parser.getText();
                } else if ("data".equals(name) && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken inner = parser.nextToken();
                        if ("version".equals(field) && inner == JsonToken.VALUE_NUMBER_INT) {
                            version = parser.getLongValue();
                        } else if ("message_id".equals(field) && inner == JsonToken.VALUE_NUMBER_INT) {
                            messageId = parser.getLongValue();
                        } else if ("count".equals(field) && inner == JsonToken.VALUE_NUMBER_INT) {
                            count = parser.getLongValue();
                        } else if ("user_id".equals(field) && inner == JsonToken.VALUE_STRING) {
                            userId = parser.getText();
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return new FrameSummary("", -1, null, -1, -1);
        }
        return new FrameSummary(type, version, userId, messageId, count);
    }
}
