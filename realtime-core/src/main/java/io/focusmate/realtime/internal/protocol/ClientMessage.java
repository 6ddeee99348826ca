package io.focusmate.realtime.internal.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.focusmate.realtime.protocol.ErrorCode;

/**
 * A frame sent by a client: {@code {"type": "...", "data": {...}}}. Immutable.
 *
 * @param type the message type, never null
 * @param data the {@code data} member, or a {@link MissingNode} when absent; never null
 */
public record ClientMessage(String type, JsonNode data) {

    /**
     * Parses a client text frame.
     *
     * @throws ProtocolException with {@link ErrorCode#INVALID_MESSAGE} when the text is not a JSON object with a
     *     string {@code type}
     */
    public static ClientMessage parse(String text) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "Malformed JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "A message must be a JSON object");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "A message needs a string \"type\"");
        }
        JsonNode data = root.get("data");
        return new ClientMessage(type.asText(), data == null ? MissingNode.getInstance() : data);
    }

    /**
     * The string member {@code name} of {@code data}.
     *
     * @throws ProtocolException with {@link ErrorCode#INVALID_MESSAGE} when it is missing or not a string
     */
    public String requireText(String name) {
        JsonNode value = data.get(name);
        if (value == null || !value.isTextual()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE,
                    "\"" + type + "\" needs a string data." + name);
        }
        return value.asText();
    }

    /** The error for a frame whose type the endpoint does not accept. */
    public ProtocolException unknownType() {
        return new ProtocolException(ErrorCode.UNKNOWN_TYPE, "Unknown message type: " + shorten(type));
    }

    /** The text cut to 64 characters, for error messages and logs. */
    public static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
