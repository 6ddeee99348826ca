package io.focusmate.realtime.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A frame the gateway forwarded from a channel: a {@code notification}, or any other type a backend published.
 * Immutable (do not modify {@code json}).
 *
 * @param type the frame's {@code type}
 * @param text the frame exactly as received
 * @param json the frame parsed
 */
public record Frame(String type, String text, JsonNode json) {
    /** The frame's {@code data} member; a missing node when it has none. */
    public JsonNode data() {
        return json.path("data");
    }

    /** The channel the frame came on; present on notification channels with history. */
    public Optional<String> channel() {
        JsonNode channel = json.path("channel");
        return channel.isTextual() ? Optional.of(channel.asText()) : Optional.empty();
    }

    /** The frame's position in its channel's history; present on notification channels with history. */
    public Optional<Position> position() {
        JsonNode epoch = json.path("epoch");
        JsonNode offset = json.path("offset");
        if (!epoch.isTextual() || !offset.canConvertToExactIntegral() || offset.asLong() < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Position(epoch.asText(), offset.asLong()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
