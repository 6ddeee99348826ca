package io.focusmate.realtime.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Checks that a payload taken from a channel is a server frame before it is forwarded to clients. */
public final class ServerPayloads {
    private ServerPayloads() {
    }

    /**
     * Whether the payload is one well-formed JSON object with a top-level string {@code type} and nothing after it.
     * It streams the text once and builds no tree.
     */
    public static boolean isServerFrame(String payload) {
        if (payload == null || payload.isEmpty()) {
            return false;
        }
        try (JsonParser parser = Json.FACTORY.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean typed = false;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                boolean isType = "type".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (isType) {
                    typed = value == JsonToken.VALUE_STRING;
                }
                parser.skipChildren();
            }
            return token == JsonToken.END_OBJECT && typed && parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
