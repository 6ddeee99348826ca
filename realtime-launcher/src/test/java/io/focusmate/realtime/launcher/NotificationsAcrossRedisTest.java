package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.NotificationsConnection;
import io.focusmate.realtime.client.RealtimeClient;
import io.focusmate.realtime.notifications.Notification;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance points 2, 3 and 4 of the foundation: real launcher instances, real clients, a real redis-server. The raw
 * frame checks use the test kit's WebSocket client; the others the Java client, as an application would.
 */
@Timeout(120)
class NotificationsAcrossRedisTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    /** A fresh key prefix per test, so tests never share channels. */
    private String prefix;
    /** The test thread's: the Java clients to close after the test. */
    private final List<RealtimeClient> clients = new ArrayList<>();

    @BeforeEach
    void newPrefix() {
        prefix = RedisExtension.uniquePrefix();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RealtimeClient::close);
    }

    private TestInstance instance() {
        return TestInstance.start(Map.of("REDIS_URL", REDIS.url(), "REDIS_KEY_PREFIX", prefix));
    }

    @Test
    void aRawRedisPublishReachesEveryTabOfTheUserByteForByteAndNoOtherUser() {
        try (TestInstance gateway = instance()) {
            List<WsClient> alice = List.of(gateway.connect("alice"), gateway.connect("alice"), gateway.connect("alice"));
            List<WsClient> others = List.of(gateway.connect("bob"), gateway.connect("bob"), gateway.connect("carol"));
            String payload = "{\"type\":\"notification\",\"data\":{\"notification_id\":\"n-1\",\"type\":\"friend_request\","
                    + "\"title\":\"새 친구 요청\",\"message\":\"Alice님이 친구 요청을 보냈습니다\",\"data\":{\"routing\":"
                    + "{\"type\":\"navigate\",\"path\":\"/friends\",\"params\":{}}},\"created_at\":\"2025-12-18T10:00:00Z\"}}";

            assertEquals("1", REDIS.command("PUBLISH", prefix + "notifications:user:alice", payload),
                    "one subscriber connection for the whole instance, however many tabs");
            for (WsClient tab : alice) {
                assertEquals(payload, tab.nextText());
            }
            // Markers on the others' own channels travel the same link after alice's message: anything misrouted
            // to them would arrive before their marker.
            REDIS.command("PUBLISH", prefix + "notifications:user:bob", "{\"type\":\"marker\"}");
            REDIS.command("PUBLISH", prefix + "notifications:user:carol", "{\"type\":\"marker\"}");
            for (WsClient other : others) {
                assertEquals("{\"type\":\"marker\"}", other.nextText(), "a user received another user's message");
            }
        }
    }

    @Test
    void aFiveMegabyteNotificationPipelinedWithASmallOneBothReachAClientThatReads() {
        try (TestInstance gateway = instance();
             redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(java.net.URI.create(REDIS.url()))) {
            WsClient client = gateway.connect("reader");
            String big = "{\"type\":\"notification\",\"data\":{\"blob\":\"" + "x".repeat(5 << 20) + "\"}}";
            for (int round = 0; round < 5; round++) {
                redis.clients.jedis.Pipeline pipe = jedis.pipelined();
                pipe.publish(prefix + "notifications:user:reader", big);
                pipe.publish(prefix + "notifications:user:reader", "{\"type\":\"small\",\"data\":" + round + "}");
                pipe.sync();
                assertEquals(big.length(), client.nextText().length(), "round " + round);
                assertEquals("{\"type\":\"small\",\"data\":" + round + "}", client.nextText(), "round " + round);
            }
            assertTrue(!client.isClosed());
            assertEquals(0, gateway.count("realtime.queue.overflows"));
        }
    }

    @Test
    void aNotificationPublishedOnInstanceBReachesAClientConnectedToInstanceA() {
        try (TestInstance a = instance(); TestInstance b = instance()) {
            WsClient client = a.connect("42");
            String sent = b.gateway().notifications().publishToUser("42", Notification.builder("friend_request")
                    .title("New friend request").message("Alice sent you a friend request")
                    .routing("navigate", "/friends", Map.of())
                    .createdAt(Instant.parse("2025-12-18T10:00:00Z"))
                    .build()).frame();
            JsonNode frame = client.next();
            // A client that did not ask for recovery gets the frame without the history's members, byte for byte.
            assertEquals(sent.substring(0, sent.lastIndexOf(",\"channel\":")) + "}", frame.toString());
            assertEquals("notification", frame.path("type").asText());
            JsonNode data = frame.path("data");
            assertTrue(data.path("notification_id").asText().startsWith("notif-"));
            assertEquals("friend_request", data.path("type").asText());
            assertEquals("/friends", data.path("data").path("routing").path("path").asText());
            assertEquals("2025-12-18T10:00:00Z", data.path("created_at").asText());
        }
    }

    @Test
    void aBroadcastFromOneInstanceReachesEveryUserOnEveryInstance() {
        try (TestInstance a = instance(); TestInstance b = instance()) {
            List<ClientEvents> everyone = List.of(subscribe(a, "u1").events(), subscribe(a, "u2").events(),
                    subscribe(b, "u3").events());
            b.gateway().notifications().broadcast(Notification.builder("announcement")
                    .title("Maintenance").message("At 02:00 UTC").build());
            for (ClientEvents client : everyone) {
                Await.until("the broadcast", () -> client.frames.size() == 1);
                assertEquals("Maintenance", client.frames.get(0).data().path("title").asText());
                assertEquals("notifications:broadcast", client.frames.get(0).channel().orElseThrow());
            }
        }
    }

    @Test
    void afterRedisRestartsConnectedClientsGetNewNotificationsWithoutReconnecting() {
        try (TestInstance gateway = instance()) {
            ClientEvents client = subscribe(gateway, "survivor").events();
            REDIS.stop();
            Await.until("the instance to see Redis down", () -> !gateway.launcher().pubSub().isConnected());
            REDIS.restart();
            Await.until("the instance to resubscribe", Duration.ofSeconds(20),
                    () -> REDIS.command("PUBSUB", "NUMSUB", prefix + "notifications:user:survivor").endsWith("\n1"));
            REDIS.command("PUBLISH", prefix + "notifications:user:survivor", "{\"type\":\"notification\",\"data\":{}}");
            Await.until("the notification", () -> client.frames.size() == 1);
            assertEquals("notification", client.frames.get(0).type());
            assertEquals(List.of(ConnectionState.CONNECTING, ConnectionState.CONNECTED), client.states,
                    "the client had to reconnect");
        }
    }

    @Test
    void theLastConnectionOfAUserLeavingReleasesTheRedisSubscription() {
        try (TestInstance gateway = instance()) {
            String channel = prefix + "notifications:user:leaver";
            Subscriber first = subscribe(gateway, "leaver");
            Subscriber second = subscribe(gateway, "leaver");
            assertTrue(REDIS.command("PUBSUB", "NUMSUB", channel).endsWith("\n1"));
            first.connection().close();
            Await.until("the first tab to be released", () -> gateway.gateway().connectionCount("leaver") == 1);
            assertTrue(REDIS.command("PUBSUB", "NUMSUB", channel).endsWith("\n1"), "still needed by the second tab");
            second.connection().close();
            Await.until("Redis to drop the channel", () -> REDIS.command("PUBSUB", "NUMSUB", channel).endsWith("\n0"));
        }
    }

    @Test
    void manyMessagesArriveInPublishOrder() {
        try (TestInstance a = instance(); TestInstance b = instance()) {
            ClientEvents client = subscribe(a, "orderly").events();
            for (int i = 0; i < 300; i++) {
                b.gateway().notifications().publishFrame("notifications:user:orderly",
                        "{\"type\":\"seq\",\"n\":" + i + "}");
            }
            Await.until("300 frames", () -> client.frames.size() == 300);
            assertEquals(IntStream.range(0, 300).boxed().toList(),
                    client.frames.stream().map(f -> f.json().path("n").asInt()).toList());
            assertEquals(LongStream.rangeClosed(1, 300).boxed().toList(),
                    client.frames.stream().map(f -> f.position().orElseThrow().offset()).toList());
        }
    }

    /** A user's notifications connection through the Java client, connected. */
    private Subscriber subscribe(TestInstance gateway, String user) {
        RealtimeClient client = RealtimeClient.builder().baseUrl(gateway.url(""))
                .tokens(() -> CompletableFuture.completedFuture(TestTokens.token(user))).build();
        clients.add(client);
        ClientEvents events = new ClientEvents();
        NotificationsConnection connection = client.notifications(events);
        Await.until(user + " connected", () -> connection.state() == ConnectionState.CONNECTED);
        return new Subscriber(connection, events);
    }

    private record Subscriber(NotificationsConnection connection, ClientEvents events) {
    }
}
