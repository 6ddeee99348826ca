package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.WsClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP publish API as a backend that is not Java (or a Java one with a default {@code HttpClient}) sees it: a
 * real instance, a real WebSocket client, and, for the broker outage, a real redis-server that is killed.
 */
@Timeout(60)
class PublishApiTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final String KEY = "test-publish-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Default configuration on purpose: it offers {@code Upgrade: h2c} on every plain-HTTP request. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** An answer slower than this counts as a hang. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private static TestInstance withKey() {
        return TestInstance.start(Map.of("REALTIME_API_KEY", KEY));
    }

    private static HttpResponse<String> post(TestInstance instance, String path, String authorization, String body) {
        return send(instance, path, "POST", authorization, HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(TestInstance instance, String path, String method, String authorization,
                                             HttpRequest.BodyPublisher body) {
        return send(instance, path, method, authorization, body, Map.of());
    }

    private static HttpResponse<String> send(TestInstance instance, String path, String method, String authorization,
                                             HttpRequest.BodyPublisher body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + instance.launcher().port() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method(method, body);
        headers.forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(PROMPTLY) < 0, "the answer took " + took.toMillis() + " ms");
            return response;
        } catch (java.io.IOException e) {
            throw new AssertionError("the request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static HttpResponse<String> notify(TestInstance instance, String user, String body) {
        return post(instance, "/api/v1/users/" + user + "/notifications", "Bearer " + KEY, body);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("")
                    .split(";")[0].trim(), "content type of " + response.body());
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + response.body());
        }
    }

    /** Asserts the status and the error code, and returns the error's message. */
    private static String assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = json(response).path("error");
        assertEquals(code, error.path("code").asText(), response.body());
        String message = error.path("message").asText();
        assertFalse(message.isBlank(), response.body());
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), response.body());
        return message;
    }

    /** Proves that nothing else reached the client: a marker published now is the next frame it gets. */
    private static void assertNothingDelivered(TestInstance instance, WsClient client, String user) {
        instance.gateway().notifications().publishFrame("notifications:user:" + user, "{\"type\":\"marker\"}");
        assertEquals("{\"type\":\"marker\"}", client.nextText(), "something was delivered");
    }

    @Test
    void aNotificationPostedOverHttpReachesTheConnectedUserPromptlyWithItsIdAndTimeFilled() {
        try (TestInstance instance = withKey()) {
            WsClient client = instance.connect("42");
            Instant before = Instant.now().minusSeconds(1);
            HttpResponse<String> response = notify(instance, "42", """
                    {"type": "friend_request", "title": "New friend request", "message": "Alice sent you a request",
                     "data": {"routing": {"type": "navigate", "path": "/friends", "params": {}}}}
                    """);

            assertEquals(HttpClient.Version.HTTP_2, HTTP.version(), "the client offers h2c, as by default");
            assertEquals(202, response.statusCode(), response.body());
            JsonNode answer = json(response);
            assertEquals("published", answer.path("status").asText());
            assertEquals("42", answer.path("user_id").asText());
            String id = answer.path("notification_id").asText();
            assertTrue(id.startsWith("notif-"), id);
            Instant created = Instant.parse(answer.path("created_at").asText());
            assertFalse(created.isBefore(before) || created.isAfter(Instant.now()), created.toString());

            JsonNode frame = client.next();
            assertEquals("notification", frame.path("type").asText());
            JsonNode data = frame.path("data");
            assertEquals(id, data.path("notification_id").asText());
            assertEquals(answer.path("created_at").asText(), data.path("created_at").asText());
            assertEquals("friend_request", data.path("type").asText());
            assertEquals("New friend request", data.path("title").asText());
            assertEquals("Alice sent you a request", data.path("message").asText());
            assertEquals("/friends", data.path("data").path("routing").path("path").asText());
        }
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyIsDeliveredOnceAndAnsweredWithTheSamePosition() {
        try (TestInstance instance = withKey()) {
            WsClient client = WsClient.connect(instance.url("/api/v1/notifications/ws?recover=true&token="
                    + io.focusmate.realtime.testkit.TestTokens.token("retried")));
            client.next();
            String body = "{\"type\":\"system\",\"title\":\"Once\",\"message\":\"only once\"}";
            Map<String, String> key = Map.of("Idempotency-Key", "order-42-shipped");
            JsonNode first = json(send(instance, "/api/v1/users/retried/notifications", "POST", "Bearer " + KEY,
                    HttpRequest.BodyPublishers.ofString(body), key));
            JsonNode retry = json(send(instance, "/api/v1/users/retried/notifications", "POST", "Bearer " + KEY,
                    HttpRequest.BodyPublishers.ofString(body), key));
            assertEquals("notifications:user:retried", first.path("channel").asText());
            assertEquals(1, first.path("offset").asLong());
            assertEquals(first.path("epoch").asText(), retry.path("epoch").asText());
            assertEquals(first.path("offset").asLong(), retry.path("offset").asLong());
            assertEquals(first.path("notification_id").asText(), retry.path("notification_id").asText());
            assertTrue(retry.path("duplicate").asBoolean(), retry.toString());
            assertFalse(first.has("duplicate"), first.toString());
            assertEquals(1, client.next().path("offset").asLong());
            JsonNode other = json(send(instance, "/api/v1/users/retried/notifications", "POST", "Bearer " + KEY,
                    HttpRequest.BodyPublishers.ofString(body), Map.of("Idempotency-Key", "another-key")));
            assertEquals(2, other.path("offset").asLong());
            assertEquals(2, client.next().path("offset").asLong(), "the retry was delivered again");
        }
    }

    @Test
    void aGivenIdAndCreationTimeAreKeptAndThePathsUserIdIsPercentDecoded() {
        try (TestInstance instance = withKey()) {
            WsClient client = instance.connect("a b+c");
            HttpResponse<String> response = notify(instance, "a%20b+c", """
                    {"type": "system", "title": "T", "message": "M", "notification_id": "n-7",
                     "created_at": "2025-12-18T19:00:00+09:00", "data": null}
                    """);

            assertEquals(202, response.statusCode(), response.body());
            assertEquals("n-7", json(response).path("notification_id").asText());
            assertEquals("2025-12-18T10:00:00Z", json(response).path("created_at").asText());
            assertEquals("a b+c", json(response).path("user_id").asText());
            JsonNode data = client.next().path("data");
            assertEquals("n-7", data.path("notification_id").asText());
            assertEquals("2025-12-18T10:00:00Z", data.path("created_at").asText());
        }
    }

    @Test
    void aFramePostedToAChannelReachesEverySubscriberAsWritten() {
        try (TestInstance instance = withKey()) {
            WsClient alice = instance.connect("alice");
            WsClient bob = instance.connect("bob");
            HttpResponse<String> response = post(instance, "/api/v1/publish", "Bearer " + KEY, """
                    {"channel": "notifications:broadcast",
                     "data": {"type": "announcement", "data": {"title": "Maintenance at 02:00"}}}
                    """);

            assertEquals(202, response.statusCode(), response.body());
            assertEquals("published", json(response).path("status").asText());
            assertEquals("notifications:broadcast", json(response).path("channel").asText());
            String expected = "{\"type\":\"announcement\",\"data\":{\"title\":\"Maintenance at 02:00\"}}";
            assertEquals(expected, alice.nextText());
            assertEquals(expected, bob.nextText());
        }
    }

    @Test
    void withoutABearerKeyTheAnswerIs401WithAChallengeAndNothingIsPublished() {
        try (TestInstance instance = withKey()) {
            WsClient client = instance.connect("42");
            String body = "{\"type\":\"system\",\"title\":\"T\",\"message\":\"M\"}";
            for (String authorization : new String[] {null, "Basic " + KEY, "Bearer ", KEY}) {
                HttpResponse<String> response = post(instance, "/api/v1/users/42/notifications", authorization, body);
                assertError(response, 401, "unauthorized");
                assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                        response.headers().toString());
            }
            assertNothingDelivered(instance, client, "42");
        }
    }

    @Test
    void aWrongKeyGets403AndNothingIsPublished() {
        try (TestInstance instance = withKey()) {
            WsClient client = instance.connect("42");
            for (String key : new String[] {KEY + "x", KEY.substring(1), "bearer-but-wrong-key-000000"}) {
                HttpResponse<String> response = post(instance, "/api/v1/users/42/notifications", "Bearer " + key,
                        "{\"type\":\"system\",\"title\":\"T\",\"message\":\"M\"}");
                String message = assertError(response, 403, "forbidden");
                assertFalse(response.body().contains(KEY), "the key was echoed: " + message);
            }
            HttpResponse<String> lowercaseScheme = post(instance, "/api/v1/publish", "bearer " + KEY,
                    "{\"channel\":\"notifications:user:42\",\"data\":{\"type\":\"scheme\"}}");
            assertEquals(202, lowercaseScheme.statusCode(), "the scheme is case-insensitive");
            assertEquals("scheme", client.next().path("type").asText());
            assertNothingDelivered(instance, client, "42");
        }
    }

    @Test
    void malformedJsonGets400InvalidJson() {
        try (TestInstance instance = withKey()) {
            for (String body : new String[] {"{\"type\": \"system\",", "not json", "", "[1, 2]", "{} {}"}) {
                String message = assertError(notify(instance, "42", body), 400, "invalid_json");
                assertFalse(message.contains("Source") || message.contains("REDACTED"), message);
                assertError(post(instance, "/api/v1/publish", "Bearer " + KEY, body), 400, "invalid_json");
            }
        }
    }

    @Test
    void aNotificationWithABadFieldGets400NamingTheField() {
        try (TestInstance instance = withKey()) {
            WsClient client = instance.connect("42");
            Map<String, String> cases = new HashMap<>();
            cases.put("{\"title\":\"T\",\"message\":\"M\"}", "type");
            cases.put("{\"type\":7,\"title\":\"T\",\"message\":\"M\"}", "type");
            cases.put("{\"type\":\"\",\"title\":\"T\",\"message\":\"M\"}", "type");
            cases.put("{\"type\":\"system\",\"message\":\"M\"}", "title");
            cases.put("{\"type\":\"system\",\"title\":\"T\",\"message\":[]}", "message");
            cases.put("{\"type\":\"system\",\"title\":\"T\",\"message\":\"M\",\"data\":[1]}", "data");
            cases.put("{\"type\":\"system\",\"title\":\"T\",\"message\":\"M\",\"created_at\":\"yesterday\"}",
                    "created_at");
            cases.put("{\"type\":\"system\",\"title\":\"T\",\"message\":\"M\",\"created_at\":\"2025-12-18T10:00:00\"}",
                    "created_at");
            cases.put("{\"type\":\"system\",\"title\":\"T\",\"message\":\"M\",\"notification_id\":5}",
                    "notification_id");
            cases.put("{\"type\":\"system\",\"titel\":\"T\",\"message\":\"M\"}", "titel");
            cases.forEach((body, field) -> {
                String message = assertError(notify(instance, "42", body), 400, "invalid_body");
                assertTrue(message.contains(field), "\"" + field + "\" missing from: " + message);
            });
            assertError(notify(instance, "x".repeat(129), "{\"type\":\"system\",\"title\":\"T\",\"message\":\"M\"}"),
                    400, "invalid_user_id");
            assertError(notify(instance, "bad%01id", "{\"type\":\"system\",\"title\":\"T\",\"message\":\"M\"}"),
                    400, "invalid_user_id");
            assertNothingDelivered(instance, client, "42");
        }
    }

    @Test
    void aFrameWithABadChannelOrNoStringTypeGets400NamingTheField() {
        try (TestInstance instance = withKey()) {
            Map<String, String> cases = new HashMap<>();
            cases.put("{\"data\":{\"type\":\"x\"}}", "channel");
            cases.put("{\"channel\":\"\",\"data\":{\"type\":\"x\"}}", "channel");
            cases.put("{\"channel\":42,\"data\":{\"type\":\"x\"}}", "channel");
            cases.put("{\"channel\":\"" + "c".repeat(257) + "\",\"data\":{\"type\":\"x\"}}", "channel");
            cases.put("{\"channel\":\"a\\nb\",\"data\":{\"type\":\"x\"}}", "channel");
            cases.put("{\"channel\":\"notifications:broadcast\"}", "data");
            cases.put("{\"channel\":\"notifications:broadcast\",\"data\":{\"kind\":\"x\"}}", "\"type\"");
            cases.put("{\"channel\":\"notifications:broadcast\",\"data\":{\"type\":1}}", "\"type\"");
            cases.put("{\"channel\":\"notifications:broadcast\",\"data\":\"{\\\"type\\\":\\\"x\\\"}\"}", "data");
            cases.put("{\"channel\":\"notifications:broadcast\",\"data\":{\"type\":\"x\"},\"extra\":1}", "extra");
            cases.forEach((body, field) -> {
                String message = assertError(post(instance, "/api/v1/publish", "Bearer " + KEY, body), 400,
                        "invalid_body");
                assertTrue(message.contains(field), "\"" + field + "\" missing from: " + message);
            });
        }
    }

    @Test
    void aBodyOverTheLimitGets413AndOneAtTheLimitIsPublished() {
        try (TestInstance instance = withKey()) {
            WsClient client = instance.connect("42");
            int limit = 65536; // PUBLISH_MAX_BYTES's default
            String frame = "{\"channel\":\"notifications:user:42\",\"data\":{\"type\":\"big\",\"pad\":\"";
            String atLimit = frame + "x".repeat(limit - frame.length() - 3) + "\"}}";
            assertEquals(limit, atLimit.getBytes(StandardCharsets.UTF_8).length);

            assertError(post(instance, "/api/v1/publish", "Bearer " + KEY, atLimit + " "), 413, "payload_too_large");
            // Without a Content-Length (chunked), the body is cut one byte past the limit.
            byte[] chunked = (atLimit + " ").getBytes(StandardCharsets.UTF_8);
            assertError(send(instance, "/api/v1/publish", "POST", "Bearer " + KEY,
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked))), 413,
                    "payload_too_large");
            assertError(post(instance, "/api/v1/publish", "Bearer " + KEY, "x".repeat(10 * limit)), 413,
                    "payload_too_large");

            assertEquals(202, post(instance, "/api/v1/publish", "Bearer " + KEY, atLimit).statusCode());
            assertEquals("big", client.next().path("type").asText());
            assertNothingDelivered(instance, client, "42");
        }
    }

    @Test
    void withoutAConfiguredKeyTheApiIsOffAndAnswers404() {
        try (TestInstance instance = TestInstance.inMemory()) {
            String message = assertError(notify(instance, "42", "{\"type\":\"system\",\"title\":\"T\",\"message\":\"M\"}"),
                    404, "publish_api_disabled");
            assertTrue(message.contains("REALTIME_API_KEY"), message);
            assertError(post(instance, "/api/v1/publish", null, "{}"), 404, "publish_api_disabled");
        }
    }

    @Test
    void aWrongMethodGets405AndAnUnknownPathGets404() {
        try (TestInstance instance = withKey()) {
            assertError(send(instance, "/api/v1/publish", "GET", "Bearer " + KEY,
                    HttpRequest.BodyPublishers.noBody()), 405, "method_not_allowed");
            assertError(send(instance, "/api/v1/users/42/notifications", "PUT", "Bearer " + KEY,
                    HttpRequest.BodyPublishers.ofString("{}")), 405, "method_not_allowed");
            assertError(post(instance, "/api/v1/publish/more", "Bearer " + KEY, "{}"), 404, "not_found");
            assertError(post(instance, "/api/v1/users//notifications", "Bearer " + KEY, "{}"), 404, "not_found");
        }
    }

    @Test
    void whenTheBrokerIsDownThePublishGets503PromptlyAndWorksAgainAfterItReturns() {
        String prefix = RedisExtension.uniquePrefix();
        try (TestInstance instance = TestInstance.start(Map.of("REALTIME_API_KEY", KEY, "REDIS_URL", REDIS.url(),
                "REDIS_KEY_PREFIX", prefix))) {
            WsClient client = instance.connect("42");
            String body = "{\"type\":\"system\",\"title\":\"T\",\"message\":\"through Redis\"}";
            assertEquals(202, notify(instance, "42", body).statusCode());
            assertEquals("through Redis", client.next().path("data").path("message").asText());

            REDIS.stop();
            try {
                String message = assertError(notify(instance, "42", body), 503, "broker_unavailable");
                assertTrue(message.startsWith("Not published"), message);
                assertError(post(instance, "/api/v1/publish", "Bearer " + KEY,
                        "{\"channel\":\"notifications:user:42\",\"data\":{\"type\":\"x\"}}"), 503, "broker_unavailable");
            } finally {
                REDIS.restart();
            }
            Await.until("the instance to resubscribe", Duration.ofSeconds(20),
                    () -> REDIS.command("PUBSUB", "NUMSUB", prefix + "notifications:user:42").endsWith("\n1"));
            assertEquals(202, notify(instance, "42", body).statusCode());
            assertEquals("through Redis", client.next().path("data").path("message").asText());
        }
    }
}
