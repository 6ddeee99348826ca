package io.focusmate.realtime.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Checks that a payload taken from a channel is a server frame before it is forwarded to clients. */
public final class ServerPayloads {
    private ServerPayloads() {
    }

    /** {@link #stamp} of a payload that is not a server frame. */
    public static final long INVALID = -1;

    /**
     * Checks a channel payload in one streaming pass, as {@link #isServerFrame}, and reads its publish stamp: a
     * top-level {@code ts} number (epoch ms) that the gateway's publishers add.
     *
     * @return {@link #INVALID} when it is not a server frame, 0 when it has no stamp, else the stamp
     */
    public static long stamp(String payload) {
        if (payload == null || payload.isEmpty()) {
            return INVALID;
        }
        try (JsonParser parser = Json.FACTORY.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return INVALID;
            }
            boolean typed = false;
            long stamp = 0;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(name)) {
                    typed = value == JsonToken.VALUE_STRING;
                } else if ("ts".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                    stamp = Math.max(0, parser.getLongValue());
                }
                parser.skipChildren();
            }
            boolean valid = token == JsonToken.END_OBJECT && typed && parser.nextToken() == null;
            return valid ? stamp : INVALID;
        } catch (IOException e) {
            return INVALID;
        }
    }

    /**
     * Whether the payload is one well-formed JSON object with a top-level string {@code type} and nothing after it.
     * It streams the text once and builds no tree.
     */
    public static boolean isServerFrame(String payload) {
        return stamp(payload) != INVALID;
    }
}
