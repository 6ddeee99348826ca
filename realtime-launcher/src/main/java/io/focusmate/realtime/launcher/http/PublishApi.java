package io.focusmate.realtime.launcher.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.internal.protocol.Json;
import io.focusmate.realtime.notifications.Notification;
import io.focusmate.realtime.notifications.NotificationPublisher;
import io.focusmate.realtime.notifications.Publication;
import io.focusmate.realtime.protocol.Channels;
import io.focusmate.realtime.pubsub.PubSubException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP publish API, for backends that are not Java. Two routes, both {@code POST}, both authorised by
 * {@code Authorization: Bearer <REALTIME_API_KEY>}:
 *
 * <ul>
 *   <li>{@code /api/v1/publish} with {@code {"channel": "...", "data": {...server frame...}}}: the frame is
 *       published on the channel as it is;</li>
 *   <li>{@code /api/v1/users/{user_id}/notifications} with a notification ({@code type}, {@code title},
 *       {@code message}, and optionally {@code data}, {@code notification_id}, {@code created_at}): the
 *       {@code notification} frame is built and published to the user, with the id and time filled when missing.</li>
 * </ul>
 *
 * <p>Answers: 202 published (the broker took it; delivery is at most once), 400 a bad body (the JSON error names
 * the problem), 401 no bearer key, 403 a wrong key, 404 the API is off (no key configured), 413 a body over the
 * limit, 503 the broker did not take the message, so it was not sent. Thread-safe: immutable after construction.
 */
public final class PublishApi {
    private static final Logger LOG = LoggerFactory.getLogger(PublishApi.class);

    static final String PUBLISH_PATH = "/api/v1/publish";
    static final String NOTIFICATIONS_PATH = "/api/v1/users/{user_id}/notifications";
    private static final String PUBLISH_REGEX = "/api/v1/publish";
    private static final String NOTIFICATIONS_REGEX = "/api/v1/users/([^/]+)/notifications";

    /** The longest channel name accepted. */
    public static final int MAX_CHANNEL_LENGTH = 256;

    private static final Set<String> PUBLISH_FIELDS = Set.of("channel", "data");
    private static final Set<String> NOTIFICATION_FIELDS =
            Set.of("type", "title", "message", "data", "notification_id", "created_at");
    private static final List<String> NOTIFICATION_FIELD_ORDER =
            List.of("type", "title", "message", "data", "notification_id", "created_at");
    /** Strict: one JSON value, nothing after it. */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final NotificationPublisher publisher;
    private final byte[] key;
    private final int maxBytes;

    private PublishApi(NotificationPublisher publisher, String apiKey, int maxBytes) {
        this.publisher = publisher;
        this.key = apiKey.getBytes(StandardCharsets.UTF_8);
        this.maxBytes = maxBytes;
    }

    /**
     * Adds the publish routes. With a null key the API is off: both paths answer 404
     * {@code publish_api_disabled}, and one info line says so.
     *
     * @param apiKey the bearer key (REALTIME_API_KEY), or null; never logged
     * @param maxBytes the largest request body; a larger one gets 413
     */
    public static void register(HttpRoutes routes, NotificationPublisher publisher, String apiKey, int maxBytes) {
        if (apiKey == null || apiKey.isEmpty()) {
            LOG.info("HTTP publish API is off: set REALTIME_API_KEY (at least 16 characters) to enable POST {} and "
                    + "POST {}", PUBLISH_PATH, NOTIFICATIONS_PATH);
            HttpRoutes.Route off = (request, response, path) -> HttpRoutes.json(response, 404,
                    HttpRoutes.error("publish_api_disabled", "The publish API is off on this instance; set "
                            + "REALTIME_API_KEY on the server to enable it"));
            routes.add("POST", PUBLISH_REGEX, off).add("POST", NOTIFICATIONS_REGEX, off);
            return;
        }
        PublishApi api = new PublishApi(publisher, apiKey, maxBytes);
        routes.add("POST", PUBLISH_REGEX, api::publish).add("POST", NOTIFICATIONS_REGEX, api::notifyUser);
        LOG.info("HTTP publish API is on: POST {} and POST {} (Authorization: Bearer REALTIME_API_KEY; bodies up to "
                + "{} bytes)", PUBLISH_PATH, NOTIFICATIONS_PATH, maxBytes);
    }

    // --- the routes ---

    private void publish(Request request, Response response, Matcher path) throws IOException {
        JsonNode body = authorisedBody(request, response);
        if (body == null) {
            return;
        }
        String channel;
        String frame;
        try {
            rejectUnknownFields(body, PUBLISH_FIELDS, "channel and data");
            JsonNode channelNode = body.get("channel");
            if (channelNode == null || !channelNode.isTextual() || !isValidName(channelNode.asText(),
                    MAX_CHANNEL_LENGTH)) {
                throw new Invalid("invalid_body", "channel must be a string of 1 to " + MAX_CHANNEL_LENGTH
                        + " characters, without control characters, such as \"notifications:user:42\"");
            }
            channel = channelNode.asText();
            JsonNode data = body.get("data");
            if (data == null || !data.isObject() || !data.path("type").isTextual()) {
                throw new Invalid("invalid_body", "data must be a JSON object with a string \"type\" (the frame "
                        + "clients receive)");
            }
            frame = Json.MAPPER.writeValueAsString(data);
        } catch (Invalid e) {
            HttpRoutes.json(response, 400, HttpRoutes.error(e.code, e.getMessage()));
            return;
        }
        Publication published;
        try {
            published = publisher.publishFrame(channel, frame, idempotencyKey(request));
        } catch (IllegalArgumentException e) {
            HttpRoutes.json(response, 400, HttpRoutes.error("invalid_body", e.getMessage()));
            return;
        } catch (PubSubException e) {
            brokerDown(response, channel, e);
            return;
        }
        HttpRoutes.json(response, 202, Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("status", "published");
            gen.writeStringField("channel", channel);
            position(gen, published);
            gen.writeEndObject();
        }));
    }

    private void notifyUser(Request request, Response response, Matcher path) throws IOException {
        JsonNode body = authorisedBody(request, response);
        if (body == null) {
            return;
        }
        String userId;
        Notification notification;
        try {
            userId = userId(path.group(1));
            notification = notification(body);
        } catch (Invalid e) {
            HttpRoutes.json(response, 400, HttpRoutes.error(e.code, e.getMessage()));
            return;
        }
        Publication published;
        try {
            published = publisher.publishToUser(userId, notification, idempotencyKey(request));
        } catch (IllegalArgumentException e) {
            HttpRoutes.json(response, 400, HttpRoutes.error("invalid_body", e.getMessage()));
            return;
        } catch (PubSubException e) {
            brokerDown(response, Channels.user(userId), e);
            return;
        }
        JsonNode sent = Json.MAPPER.readTree(published.frame()).path("data");
        HttpRoutes.json(response, 202, Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("status", "published");
            gen.writeStringField("user_id", userId);
            gen.writeStringField("notification_id", sent.path("notification_id").asText());
            gen.writeStringField("created_at", sent.path("created_at").asText());
            gen.writeStringField("channel", published.channel());
            position(gen, published);
            gen.writeEndObject();
        }));
    }

    /** The {@code Idempotency-Key} header, or null. */
    private static String idempotencyKey(Request request) {
        String key = request.getHeader("Idempotency-Key");
        return key == null || key.isEmpty() ? null : key;
    }

    /** A publication's place in its channel's history: {@code epoch}, {@code offset} and, for a retry, {@code duplicate}. */
    private static void position(com.fasterxml.jackson.core.JsonGenerator gen, Publication published)
            throws IOException {
        if (published.position() != null) {
            gen.writeStringField("epoch", published.position().epoch());
            gen.writeNumberField("offset", published.position().offset());
        }
        if (published.duplicate()) {
            gen.writeBooleanField("duplicate", true);
        }
    }

    // --- authorisation and the body ---

    /**
     * Checks the key, then reads and parses the body. Returns null when an answer (401, 403, 413, 400) was written.
     */
    private JsonNode authorisedBody(Request request, Response response) throws IOException {
        String header = request.getHeader("Authorization");
        String presented = bearer(header);
        if (presented == null) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"realtime-publish\"");
            HttpRoutes.json(response, 401, HttpRoutes.error("unauthorized",
                    "Send Authorization: Bearer <REALTIME_API_KEY>"));
            return null;
        }
        // Constant time: isEqual's running time depends only on the length of its first argument, the presented
        // key, which the caller knows anyway.
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), key)) {
            HttpRoutes.json(response, 403, HttpRoutes.error("forbidden", "The API key is wrong"));
            return null;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            tooLarge(response);
            return null;
        }
        // Reads at most one byte past the limit, whatever the declared length or chunking. The unread rest of an
        // oversize body is skipped by Grizzly, which then closes the connection (413 drops keep-alive).
        byte[] bytes = request.getInputStream().readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            tooLarge(response);
            return null;
        }
        if (bytes.length == 0) {
            HttpRoutes.json(response, 400, HttpRoutes.error("invalid_json", "The body is empty; send a JSON object"));
            return null;
        }
        JsonNode body;
        try {
            body = READER.readTree(bytes);
        } catch (JsonProcessingException e) {
            HttpRoutes.json(response, 400, HttpRoutes.error("invalid_json", "The body is not valid JSON ("
                    + jsonProblem(e) + ")"));
            return null;
        }
        if (body == null || !body.isObject()) {
            HttpRoutes.json(response, 400, HttpRoutes.error("invalid_json", "The body must be a JSON object"));
            return null;
        }
        return body;
    }

    /** The key of an {@code Authorization: Bearer <key>} header (the scheme is case-insensitive), or null. */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.length() <= 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String presented = value.substring(7).trim();
        return presented.isEmpty() ? null : presented;
    }

    private void tooLarge(Response response) throws IOException {
        HttpRoutes.json(response, 413, HttpRoutes.error("payload_too_large", "The body is larger than "
                + maxBytes + " bytes (PUBLISH_MAX_BYTES)"));
    }

    private static void brokerDown(Response response, String channel, PubSubException e) throws IOException {
        LOG.warn("HTTP publish to {} not sent: {}", channel, e.getMessage());
        HttpRoutes.json(response, 503, HttpRoutes.error("broker_unavailable",
                "Not published: the message broker is unavailable; retry later"));
    }

    // --- validation ---

    private static String userId(String raw) throws Invalid {
        String decoded;
        try {
            // A path segment: '+' is a plus sign, not a space.
            decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Invalid("invalid_user_id", "The user id in the path is not correctly percent-encoded");
        }
        if (!JwtAuthenticator.isValidSubject(decoded)) {
            throw new Invalid("invalid_user_id", "The user id must be 1 to 128 characters, without control "
                    + "characters (percent-encoded in the path)");
        }
        return decoded;
    }

    private static Notification notification(JsonNode body) throws Invalid {
        rejectUnknownFields(body, NOTIFICATION_FIELDS, String.join(", ", NOTIFICATION_FIELD_ORDER));
        String type = requiredString(body, "type");
        if (type.isBlank()) {
            throw new Invalid("invalid_body", "type must not be empty, such as \"friend_request\"");
        }
        Notification.Builder builder = Notification.builder(type)
                .title(requiredString(body, "title"))
                .message(requiredString(body, "message"));
        JsonNode data = body.get("data");
        if (data != null && !data.isNull()) {
            if (!data.isObject()) {
                throw new Invalid("invalid_body", "data must be a JSON object when present");
            }
            for (Map.Entry<String, JsonNode> field : data.properties()) {
                builder.data(field.getKey(), field.getValue());
            }
        }
        String id = optionalString(body, "notification_id");
        if (id != null) {
            if (!JwtAuthenticator.isValidSubject(id)) {
                throw new Invalid("invalid_body", "notification_id must be 1 to 128 characters, without control "
                        + "characters, when present");
            }
            builder.id(id);
        }
        String created = optionalString(body, "created_at");
        if (created != null) {
            try {
                builder.createdAt(Instant.parse(created));
            } catch (DateTimeParseException e) {
                throw new Invalid("invalid_body", "created_at must be an ISO-8601 instant with a zone, such as "
                        + "\"2025-12-18T10:00:00Z\", when present");
            }
        }
        return builder.build();
    }

    private static void rejectUnknownFields(JsonNode body, Set<String> known, String names) throws Invalid {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new Invalid("invalid_body", "Unknown field \"" + abbreviate(name) + "\"; the fields are "
                        + names);
            }
        }
    }

    private static String requiredString(JsonNode body, String field) throws Invalid {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual()) {
            throw new Invalid("invalid_body", field + " is required and must be a string");
        }
        return node.asText();
    }

    /** The field's text; null when absent or JSON null. */
    private static String optionalString(JsonNode body, String field) throws Invalid {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Invalid("invalid_body", field + " must be a string when present");
        }
        return node.asText();
    }

    /** Jackson's reason, without the parser's source description, and where it stopped. */
    public static String jsonProblem(JsonProcessingException e) {
        String reason = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("").trim();
        int cut = reason.indexOf(" (start marker");
        if (cut > 0) {
            reason = reason.substring(0, cut);
        }
        if (reason.length() > 160) {
            reason = reason.substring(0, 160) + "...";
        }
        var where = e.getLocation();
        return where == null ? reason : reason + " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    private static boolean isValidName(String name, int maxLength) {
        return !name.isBlank() && name.length() <= maxLength && name.chars().noneMatch(Character::isISOControl);
    }

    private static String abbreviate(String text) {
        String clean = text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() <= 40 ? clean : clean.substring(0, 40) + "...";
    }

    /** A bad request body or path: a 400 with this code and message. */
    private static final class Invalid extends Exception {
        final String code;

        Invalid(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
