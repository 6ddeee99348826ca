package io.focusmate.examples.springboot;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.notifications.Notification;
import io.focusmate.realtime.pubsub.PubSubException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /notify/{user_id}} with the body {@code {"title": "...", "message": "..."}}: publishes a notification to
 * every connection of that user, on every instance, through the gateway's Java API. Answers 202 with the
 * notification's id; 400 for a bad body or user id; 503 when the broker did not take it. Thread-safe: no mutable
 * state.
 */
@RestController
class NotifyController {
    private static final Set<String> FIELDS = Set.of("title", "message");

    private final Gateway gateway;

    NotifyController(Gateway gateway) {
        this.gateway = gateway;
    }

    @PostMapping("/notify/{userId}")
    ResponseEntity<Map<String, String>> notify(@PathVariable String userId,
                                               @RequestBody(required = false) JsonNode body) {
        if (!JwtAuthenticator.isValidSubject(userId)) {
            return answer(400, "error", "the path is /notify/{user_id}: a user id of 1 to 128 characters");
        }
        String problem = problem(body);
        if (problem != null) {
            return answer(400, "error", problem);
        }
        String id = "notif-" + UUID.randomUUID();
        try {
            gateway.notifications().publishToUser(userId, Notification.builder("system").id(id)
                    .title(body.get("title").asText()).message(body.get("message").asText()).build());
        } catch (PubSubException e) {
            return answer(503, "error", "not published: the broker is unavailable; retry later");
        }
        return answer(202, "status", "published", "user_id", userId, "notification_id", id);
    }

    /** A body that is not JSON, or has something after its JSON value. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable() {
        return answer(400, "error", "the body is not one JSON object");
    }

    /** What is wrong with the body, or null. */
    private static String problem(JsonNode body) {
        if (body == null || !body.isObject()) {
            return "the body must be a JSON object: {\"title\": \"...\", \"message\": \"...\"}";
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return "unknown field \"" + name + "\"; the fields are title and message";
            }
        }
        if (!body.path("title").isTextual() || !body.path("message").isTextual()) {
            return "title and message must both be strings";
        }
        return null;
    }

    private static ResponseEntity<Map<String, String>> answer(int status, String... namesAndValues) {
        Map<String, String> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            body.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return ResponseEntity.status(status).body(body);
    }
}
