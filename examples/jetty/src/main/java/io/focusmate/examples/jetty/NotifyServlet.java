package io.focusmate.examples.jetty;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.notifications.Notification;
import io.focusmate.realtime.pubsub.PubSubException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /notify/{user_id}} with the body {@code {"title": "...", "message": "..."}}: publishes a notification to
 * every connection of that user, on every instance, through the gateway's Java API. Answers 202 with the
 * notification's id; 400 for a bad body or user id, 413 for a body over 64 KiB, 503 when the broker did not take it.
 * Thread-safe: no mutable state.
 */
final class NotifyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Set<String> FIELDS = Set.of("title", "message");

    private final transient Gateway gateway;

    NotifyServlet(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String userId = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
        if (userId.contains("/") || !JwtAuthenticator.isValidSubject(userId)) {
            answer(response, 400, json("error", "the path is /notify/{user_id}: a user id of 1 to 128 characters"));
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            answer(response, 413, json("error", "the body is over " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        String id = "notif-" + UUID.randomUUID();
        Notification notification;
        try {
            notification = notification(id, body);
        } catch (IllegalArgumentException e) {
            answer(response, 400, json("error", e.getMessage()));
            return;
        }
        try {
            gateway.notifications().publishToUser(userId, notification);
        } catch (PubSubException e) {
            answer(response, 503, json("error", "not published: the broker is unavailable; retry later"));
            return;
        }
        answer(response, 202, json("status", "published", "user_id", userId, "notification_id", id));
    }

    /** The notification a body asks for; {@link IllegalArgumentException} says what is wrong with it. */
    static Notification notification(String id, byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not one JSON object");
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object: {\"title\": \"...\", \"message\": "
                    + "\"...\"}");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field \"" + name + "\"; the fields are title and message");
            }
        }
        if (!json.path("title").isTextual() || !json.path("message").isTextual()) {
            throw new IllegalArgumentException("title and message must both be strings");
        }
        return Notification.builder("system").id(id)
                .title(json.get("title").asText()).message(json.get("message").asText()).build();
    }

    /** A JSON object of these names and values, in this order. */
    private static ObjectNode json(String... namesAndValues) {
        ObjectNode object = JSON.createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            object.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return object;
    }

    private static void answer(HttpServletResponse response, int status, ObjectNode body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
