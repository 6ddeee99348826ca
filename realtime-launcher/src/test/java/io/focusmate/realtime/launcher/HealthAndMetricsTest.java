package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.notifications.Notification;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.TcpProxy;
import io.focusmate.realtime.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Operations acceptance 1 and 2: health sees a down or deaf broker and heals by itself; metrics count truly. */
@Timeout(120)
class HealthAndMetricsTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9.eE+-]+|NaN|\\+Inf)");

    private static HttpResponse<String> get(TestInstance instance, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(instance.url(path).replace("ws://", "http://")))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int healthStatus(TestInstance instance) {
        try {
            return get(instance, "/health").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private TestInstance redisInstance(String redisUrl) {
        return redisInstance(redisUrl, RedisExtension.uniquePrefix());
    }

    private TestInstance redisInstance(String redisUrl, String prefix) {
        return TestInstance.start(Map.of("REDIS_URL", redisUrl, "REDIS_KEY_PREFIX", prefix,
                "CANARY_INTERVAL", "100ms", "CANARY_TIMEOUT", "500ms"));
    }

    private static void assertNotificationFlows(TestInstance instance, WsClient client, String title) {
        instance.gateway().notifications().publishToUser("watcher", Notification.builder("system").title(title)
                .message("m").build());
        assertEquals(title, client.nextOfType("notification").path("data").path("title").asText());
    }

    @Test
    void healthIsOkWithTheBrokerStateAndTheAgeOfItsLastMessage() throws Exception {
        try (TestInstance instance = redisInstance(REDIS.url())) {
            Await.until("the canary to come back once", () -> {
                try {
                    return JSON.readTree(get(instance, "/health").body()).path("broker")
                            .path("canary_round_trip_ms").asLong() >= 0;
                } catch (Exception e) {
                    return false;
                }
            });
            HttpResponse<String> response = get(instance, "/health");
            assertEquals(200, response.statusCode());
            JsonNode health = JSON.readTree(response.body());
            assertEquals("ok", health.path("status").asText());
            assertEquals("redis", health.path("broker").path("type").asText());
            assertEquals("up", health.path("broker").path("state").asText());
            assertTrue(health.path("broker").path("last_message_age_ms").asLong() >= 0, health.toString());
        }
    }

    @Test
    void healthTurns503WhileRedisIsDownAndReturnsTo200ByItselfThenNotificationsFlow() {
        try (TestInstance instance = redisInstance(REDIS.url())) {
            WsClient client = instance.connect("watcher");
            Await.until("health 200", () -> healthStatus(instance) == 200);
            REDIS.stop();
            Await.until("health 503 while Redis is down", () -> healthStatus(instance) == 503);
            REDIS.restart();
            Await.until("health 200 again, by itself", Duration.ofSeconds(20), () -> healthStatus(instance) == 200);
            assertNotificationFlows(instance, client, "after the restart");
        }
    }

    @Test
    void aKilledPubSubConnectionIsReplacedHealthReturnsTo200AndNotificationsFlow() {
        String prefix = RedisExtension.uniquePrefix();
        String userChannel = prefix + "notifications:user:watcher";
        try (TestInstance instance = redisInstance(REDIS.url(), prefix)) {
            WsClient client = instance.connect("watcher");
            Await.until("health 200", () -> healthStatus(instance) == 200);
            Await.until("the user channel to be subscribed",
                    () -> REDIS.command("PUBSUB", "NUMSUB", userChannel).endsWith("\n1"));
            REDIS.command("CLIENT", "KILL", "TYPE", "pubsub");
            // Redis drops the subscription with the connection at once, while the instance may still report itself
            // healthy: a publication before the new link subscribes would be lost for this plain (live-only) client.
            assertTrue(REDIS.command("PUBSUB", "NUMSUB", userChannel).endsWith("\n0"), "the kill dropped it");
            Await.until("the user channel to be subscribed again", Duration.ofSeconds(20),
                    () -> REDIS.command("PUBSUB", "NUMSUB", userChannel).endsWith("\n1"));
            Await.until("health 200 again", Duration.ofSeconds(20), () -> healthStatus(instance) == 200);
            assertNotificationFlows(instance, client, "after the kill");
        }
    }

    @Test
    void aConnectedButDeafLinkIsCaughtByTheCanaryTurnsHealth503AndHealsByReconnecting() throws Exception {
        try (TcpProxy proxy = new TcpProxy(Integer.parseInt(REDIS.url().replaceAll(".*:", "")));
             TestInstance instance = redisInstance("redis://127.0.0.1:" + proxy.port())) {
            WsClient client = instance.connect("watcher");
            Await.until("health 200", () -> healthStatus(instance) == 200);
            proxy.deafenExisting(); // sockets stay open; Redis's replies and messages no longer arrive
            Await.until("health 503: the canary did not come back", Duration.ofSeconds(20),
                    () -> healthStatus(instance) == 503);
            Await.until("health 200 after a reconnect", Duration.ofSeconds(30), () -> healthStatus(instance) == 200);
            assertNotificationFlows(instance, client, "after deafness");
        }
    }

    @Test
    void afterNKnownDeliveriesTheCountersAndTheLatencyHistogramReadN() throws Exception {
        try (TestInstance instance = TestInstance.inMemory()) {
            List<WsClient> clients = List.of(instance.connect("alice"), instance.connect("alice"),
                    instance.connect("bob"));
            for (int i = 0; i < 5; i++) {
                instance.gateway().notifications().publishToUser("alice", Notification.builder("t").title("a" + i)
                        .message("m").build());
                instance.gateway().notifications().broadcast(Notification.builder("t").title("b" + i)
                        .message("m").build());
            }
            for (WsClient client : clients) {
                int expected = client == clients.get(2) ? 5 : 10;
                for (int i = 0; i < expected; i++) {
                    client.nextOfType("notification");
                }
            }
            int n = 2 * 10 + 5;
            HttpResponse<String> response = get(instance, "/metrics");
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            Map<String, Double> samples = parse(response.body());
            assertEquals(n, samples.get("realtime_messages_delivered_total"));
            assertEquals(n, samples.get("realtime_delivery_latency_seconds_count"));
            assertEquals(n, samples.get("realtime_delivery_latency_seconds_bucket{le=\"+Inf\"}"));
            assertEquals(3, samples.get("realtime_connections_active{endpoint=\"notifications\"}"));
            assertEquals(3 + n, samples.get("realtime_frames_out_total{type=\"notification\"}")
                    + samples.get("realtime_frames_out_total{type=\"connected\"}"));
            assertEquals(1, samples.get("realtime_broker_up"));
            assertTrue(samples.keySet().stream().anyMatch(name -> name.startsWith("jvm_memory_used_bytes{")),
                    "the JVM's meters are served too");
        }
    }

    @Test
    void everyEndpointsGreetingCountsAsAFrameOut() throws Exception {
        try (TestInstance instance = TestInstance.inMemory()) {
            instance.connect("alice");
            instance.joinRoom("bob", "room-1");
            instance.chat("carol", "chat-1", null);
            Map<String, Double> samples = parse(get(instance, "/metrics").body());
            assertEquals(2, samples.get("realtime_frames_out_total{type=\"connected\"}"), "notifications and chat");
            assertEquals(1, samples.get("realtime_frames_out_total{type=\"room_state\"}"));
        }
    }

    /** Parses the Prometheus text format strictly: every line is a comment or a well-formed sample. */
    private static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher matcher = SAMPLE.matcher(line);
            assertTrue(matcher.matches(), "not a Prometheus sample: " + line);
            String key = matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2));
            samples.put(key, matcher.group(3).equals("+Inf") ? Double.POSITIVE_INFINITY
                    : Double.parseDouble(matcher.group(3)));
        }
        return samples;
    }
}
