package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.notifications.Publication;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Notifications that survive a reconnect, on the in-memory broker (and on Redis: {@code NotificationRecoveryOnRedisTest}
 * runs the same tests): positions in the query, the {@code recovery} member of {@code connected}, the replay of what
 * was missed, then live frames with no gap and no duplicate.
 */
@Timeout(120)
class NotificationRecoveryTest {
    private final Closer toClose = new Closer();
    private TestInstance gateway;

    @AfterEach
    void closeAll() throws Exception {
        toClose.close();
    }

    /** The broker's settings: none for the in-memory one. */
    protected Map<String, String> broker() {
        return Map.of();
    }

    private TestInstance start(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(broker());
        all.putAll(settings);
        gateway = TestInstance.start(all);
        toClose.add(gateway);
        return gateway;
    }

    private WsClient connect(String user, String query) {
        WsClient client = WsClient.connect(gateway.url("/api/v1/notifications/ws?token=" + TestTokens.token(user)
                + (query.isEmpty() ? "" : "&" + query)));
        toClose.add(client);
        return client;
    }

    private Publication publish(String user, int n) {
        return gateway.gateway().notifications().publishFrame("notifications:user:" + user,
                "{\"type\":\"notification\",\"data\":{\"n\":" + n + "}}");
    }

    @Test
    void withoutRecoveryParametersTheConnectedFrameAndEveryFrameAreTheSeeds() {
        start(Map.of());
        WsClient client = connect("seed", "");
        assertEquals("{\"type\":\"connected\",\"message\":\"Connected to notification service\","
                + "\"user_id\":\"seed\"}", client.nextText());
        Publication published = publish("seed", 1);
        assertEquals(1, published.position().offset());
        assertEquals("{\"type\":\"notification\",\"data\":{\"n\":1}}", client.nextText());
    }

    @Test
    void aFirstConnectWithRecoverTrueLearnsEachChannelsEpochAndOffsetAndGetsFramesWithTheirPositions() {
        start(Map.of());
        publish("first", 1);
        WsClient client = connect("first", "recover=true");
        JsonNode connected = client.next();
        JsonNode user = connected.path("recovery").path("user");
        assertEquals(1, user.path("offset").asLong());
        assertFalse(user.path("epoch").asText().isEmpty());
        assertTrue(user.path("recovered").isMissingNode(), "no position given, so no recovered: " + connected);
        assertEquals(0, connected.path("recovery").path("broadcast").path("offset").asLong());
        publish("first", 2);
        JsonNode frame = client.next();
        assertEquals(2, frame.path("data").path("n").asInt());
        assertEquals("notifications:user:first", frame.path("channel").asText());
        assertEquals(2, frame.path("offset").asLong());
        assertEquals(user.path("epoch").asText(), frame.path("epoch").asText());
    }

    @Test
    void aReconnectWithItsPositionGetsExactlyWhatItMissedInOrderThenLiveFrames() {
        start(Map.of());
        WsClient before = connect("returning", "recover=true");
        String epoch = before.next().path("recovery").path("user").path("epoch").asText();
        publish("returning", 1);
        long seen = before.next().path("offset").asLong();
        before.close();
        for (int n = 2; n <= 21; n++) {
            publish("returning", n);
        }
        WsClient after = connect("returning", "since=" + epoch + ":" + seen);
        JsonNode user = after.next().path("recovery").path("user");
        assertTrue(user.path("recovered").asBoolean(), user.toString());
        assertEquals(21, user.path("offset").asLong());
        for (int n = 2; n <= 21; n++) {
            JsonNode frame = after.next();
            assertEquals(n, frame.path("offset").asLong());
            assertEquals(n, frame.path("data").path("n").asInt());
        }
        publish("returning", 22);
        assertEquals(22, after.next().path("offset").asLong());
    }

    @Test
    void aPositionFromAnotherEpochOrAheadOfTheChannelOrPastTheHistoryIsNotRecoveredAndNothingIsReplayed() {
        start(Map.of("NOTIFICATION_HISTORY_SIZE", "5"));
        for (int n = 1; n <= 8; n++) {
            publish("gappy", n);
        }
        String epoch = publish("gappy", 9).position().epoch();
        for (String since : List.of("other0epoch:3", epoch + ":99", epoch + ":2")) {
            WsClient client = connect("gappy", "since=" + since);
            JsonNode user = client.next().path("recovery").path("user");
            assertFalse(user.path("recovered").asBoolean(), since + ": " + user);
            assertEquals(9, user.path("offset").asLong());
            client.send("{\"type\":\"ping\"}");
            assertEquals("pong", client.next().path("type").asText(), "nothing replayed for " + since);
            client.close();
        }
        WsClient client = connect("gappy", "since=" + epoch + ":4");
        assertTrue(client.next().path("recovery").path("user").path("recovered").asBoolean());
        assertEquals(5, client.next().path("offset").asLong());
    }

    @Test
    void aClientClosedAsASlowConsumerAndReconnectingWithItsPositionLosesNothing() {
        start(Map.of("SEND_QUEUE_MAX_BYTES", "65536", "NOTIFICATION_HISTORY_SIZE", "10000"));
        String since = publish("stalled", 0).position().toString();
        WsClient stalled = WsClient.connect(gateway.url("/api/v1/notifications/ws?token=" + TestTokens.token("stalled")
                + "&since=" + since), Map.of(), false);
        toClose.add(stalled);
        io.focusmate.realtime.testkit.Await.until("the stalled client to be accepted",
                () -> gateway.gateway().connectionCount("stalled") == 1);
        String big = "x".repeat(8_000);
        long last = 1;
        while (gateway.gateway().connectionCount("stalled") == 1 && last < 5_000) {
            last = gateway.gateway().notifications().publishFrame("notifications:user:stalled",
                    "{\"type\":\"bulk\",\"data\":\"" + big + "\"}").position().offset();
        }
        assertEquals(0, gateway.gateway().connectionCount("stalled"), "never closed as a slow consumer");
        WsClient back = connect("stalled", "since=" + since);
        JsonNode user = back.next().path("recovery").path("user");
        assertTrue(user.path("recovered").asBoolean(), user.toString());
        for (long offset = 2; offset <= last; offset++) {
            assertEquals(offset, back.next().path("offset").asLong());
        }
    }

    @Test
    void aMalformedPositionGetsInvalidMessageAndClose1008() {
        start(Map.of());
        for (String query : List.of("since=nocolon", "broadcast_since=e:-1", "since=bad%20epoch:1", "recover=maybe")) {
            WsClient client = connect("malformed", query);
            JsonNode error = client.next();
            assertEquals("INVALID_MESSAGE", error.path("code").asText(), query);
            WsClient.Close close = client.awaitClose();
            assertEquals(1008, close.code(), query);
            assertEquals("Invalid position", close.reason(), query);
        }
    }

    @Test
    void aClientThatReconnectsFiftyTimesDuringTenThousandPublicationsSeesEveryOffsetOnceInOrder() throws Exception {
        start(Map.of("NOTIFICATION_HISTORY_SIZE", "10000", "CLIENT_MESSAGE_RATE", "0"));
        int total = 10_000;
        Thread publisher = new Thread(() -> {
            for (int n = 1; n <= total; n++) {
                publish("racer", n);
            }
        });
        WsClient client = connect("racer", "recover=true");
        String position = client.next().path("recovery").path("user").path("epoch").asText() + ":0";
        publisher.start();
        long expected = 1;
        for (int round = 0; round < 50 && expected <= total; round++) {
            for (int i = 0; i < total / 60 && expected <= total; i++) {
                JsonNode frame = client.next();
                assertEquals(expected, frame.path("offset").asLong(), "round " + round);
                position = frame.path("epoch").asText() + ":" + expected;
                expected++;
            }
            client.close();
            client = connect("racer", "since=" + position);
            JsonNode user = client.next().path("recovery").path("user");
            assertTrue(user.path("recovered").asBoolean(), "round " + round + ": " + user);
        }
        while (expected <= total) {
            assertEquals(expected, client.next().path("offset").asLong());
            expected++;
        }
        publisher.join();
    }
}
