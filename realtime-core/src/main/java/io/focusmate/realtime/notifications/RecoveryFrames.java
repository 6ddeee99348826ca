package io.focusmate.realtime.notifications;

import com.fasterxml.jackson.core.JsonGenerator;
import io.focusmate.realtime.internal.protocol.Json;
import java.io.IOException;

/** The {@code connected} frame of a recovering notifications connection, with its {@code recovery} member. */
final class RecoveryFrames {
    private RecoveryFrames() {
    }

    /**
     * {@code {"type":"connected","message":"...","user_id":"...","recovery":{"user":{...},"broadcast":{...}}}}, each
     * channel with its {@code epoch} and {@code offset} now and, when the client gave a position for it,
     * {@code recovered}.
     */
    static String connected(String message, String userId, RecoveryRequest request, Recovery user,
                            Recovery broadcast) {
        return Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", "connected");
            gen.writeStringField("message", message);
            gen.writeStringField("user_id", userId);
            gen.writeObjectFieldStart("recovery");
            channel(gen, "user", user, request.user() != null);
            channel(gen, "broadcast", broadcast, request.broadcast() != null);
            gen.writeEndObject();
            gen.writeEndObject();
        });
    }

    private static void channel(JsonGenerator gen, String name, Recovery recovery, boolean asked) throws IOException {
        gen.writeObjectFieldStart(name);
        if (recovery.current() != null) {
            gen.writeStringField("epoch", recovery.current().epoch());
            gen.writeNumberField("offset", recovery.current().offset());
        }
        if (asked) {
            gen.writeBooleanField("recovered", recovery.recovered());
        }
        gen.writeEndObject();
    }
}
