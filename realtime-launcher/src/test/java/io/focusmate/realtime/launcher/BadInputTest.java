package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RawWebSocket;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Acceptance point 5: every bad input gets its documented answer, and a healthy connection beside it keeps working.
 */
@Timeout(60)
class BadInputTest {
    private TestInstance gateway;
    /** A healthy bystander, checked after each bad input. */
    private WsClient bystander;

    @BeforeEach
    void start() {
        gateway = TestInstance.inMemory();
        bystander = gateway.connect("bystander");
    }

    @AfterEach
    void stop() {
        assertBystanderHealthy();
        gateway.close();
    }

    private void assertBystanderHealthy() {
        bystander.send("{\"type\":\"ping\"}");
        assertEquals("pong", bystander.next().path("type").asText());
        gateway.gateway().notifications().publishFrame("notifications:user:bystander", "{\"type\":\"still-here\"}");
        assertEquals("still-here", bystander.next().path("type").asText());
    }

    @Test
    void malformedJsonGetsInvalidMessageAndTheConnectionStaysOpen() {
        WsClient client = gateway.connect("u");
        for (String bad : List.of("{not json", "[1,2]", "\"text\"", "{\"type\":42}", "{\"data\":{}}", "")) {
            client.send(bad);
            JsonNode error = client.next();
            assertEquals("error", error.path("type").asText(), bad);
            assertEquals("INVALID_MESSAGE", error.path("code").asText(), bad);
        }
        client.send("{\"type\":\"ping\"}");
        assertEquals("pong", client.next().path("type").asText());
    }

    @Test
    void anUnknownTypeGetsUnknownTypeAndTheConnectionStaysOpen() {
        WsClient client = gateway.connect("u");
        client.send("{\"type\":\"launch_rockets\"}");
        JsonNode error = client.next();
        assertEquals("UNKNOWN_TYPE", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("launch_rockets"));
        client.send("{\"type\":\"ping\"}");
        assertEquals("pong", client.next().path("type").asText());
    }

    @Test
    void aBinaryFrameClosesWith1003() {
        WsClient client = gateway.connect("u");
        client.sendBinary(new byte[] {1, 2, 3});
        assertEquals("INVALID_MESSAGE", client.next().path("code").asText());
        assertEquals(1003, client.awaitClose().code());
    }

    @Test
    void aTextFrameOverTheLimitClosesWith1009MessageTooLarge() {
        WsClient client = gateway.connect("u");
        client.send(jsonOfBytes(10_241));
        assertEquals("MESSAGE_TOO_LARGE", client.next().path("code").asText());
        WsClient.Close close = client.awaitClose();
        assertEquals(1009, close.code());
        assertEquals("Message too large", close.reason());
    }

    @Test
    void aTextFrameExactlyAtTheLimitIsAccepted() {
        WsClient client = gateway.connect("u");
        client.send(jsonOfBytes(10_240));
        assertEquals("UNKNOWN_TYPE", client.next().path("code").asText());
        client.send("{\"type\":\"ping\"}");
        assertEquals("pong", client.next().path("type").asText());
    }

    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        WsClient client = gateway.connect("u");
        // 4,000 Hangul syllables are 4,000 chars but 12,000 UTF-8 bytes.
        client.send("{\"type\":\"x\",\"data\":\"" + "가".repeat(4_000) + "\"}");
        assertEquals("MESSAGE_TOO_LARGE", client.next().path("code").asText());
        assertEquals(1009, client.awaitClose().code());
    }

    @Test
    void aHugeTextFrameIsCutByTheContainerWith1009OrAnAbruptCloseButNever1011() {
        WsClient client = gateway.connect("u");
        client.sendWithoutWaiting(jsonOfBytes(1_000_000));
        assertCutNotOverflowed(client.awaitClose().code(), 1_000_000);
    }

    @Test
    void aHugeFrameWrittenInOneGoAsBrowsersDoIsCutWith1009OrAnAbruptCloseButNever1011() throws Exception {
        for (int size : new int[] {45_000, 200_000, 2_000_000}) {
            try (io.focusmate.realtime.testkit.RawWebSocket raw = io.focusmate.realtime.testkit.RawWebSocket.connect(
                    gateway.notificationsUrl(io.focusmate.realtime.testkit.TestTokens.token("raw")))) {
                raw.sendText(jsonOfBytes(size));
                int code = raw.awaitCloseCode();
                assertCutNotOverflowed(code == -1 ? 1006 : code, size);
            }
        }
    }

    /**
     * The container cuts a frame far over the limit with 1009. The rest of the frame is then unread, so the kernel
     * may reset the socket before the client reads the close frame (1006). What must never happen is 1011, the
     * container's buffer overflowing.
     */
    private static void assertCutNotOverflowed(int code, int size) {
        assertTrue(code == 1009 || code == 1006, size + " bytes closed with " + code);
    }

    @Test
    void theSixthConnectionOfAUserIsRefusedAndTheFirstFiveStayUp() {
        List<WsClient> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(gateway.connect("busy"));
        }
        WsClient sixth = WsClient.connect(gateway.notificationsUrl(io.focusmate.realtime.testkit.TestTokens.token("busy")));
        JsonNode error = sixth.next();
        assertEquals("TOO_MANY_CONNECTIONS", error.path("code").asText());
        WsClient.Close close = sixth.awaitClose();
        assertEquals(1008, close.code());
        assertEquals("Too many connections", close.reason());
        for (WsClient tab : five) {
            tab.send("{\"type\":\"ping\"}");
            assertEquals("pong", tab.next().path("type").asText());
        }
        gateway.gateway().notifications().publishFrame("notifications:user:busy", "{\"type\":\"to-all-tabs\"}");
        for (WsClient tab : five) {
            assertEquals("to-all-tabs", tab.next().path("type").asText());
        }
        five.get(0).close();
        Await.until("a place to free up", () -> gateway.gateway().connectionCount("busy") == 4);
        gateway.connect("busy");
    }

    @Test
    void aUserCanNeverSubscribeToAnotherUsersChannel() {
        WsClient mallory = gateway.connect("mallory");
        mallory.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"notifications:user:bystander\"}}");
        JsonNode error = mallory.next();
        assertEquals("FORBIDDEN", error.path("code").asText());
        gateway.gateway().notifications().publishFrame("notifications:user:bystander", "{\"type\":\"secret\"}");
        assertEquals("secret", bystander.next().path("type").asText());
        gateway.gateway().notifications().publishFrame("notifications:user:mallory", "{\"type\":\"marker\"}");
        assertEquals("marker", mallory.next().path("type").asText(), "mallory received the bystander's message");
    }

    @Test
    void subscribeAndUnsubscribeAreAcknowledged() {
        WsClient client = gateway.connect("u");
        client.send("{\"type\":\"unsubscribe\",\"data\":{\"channel\":\"notifications:broadcast\"}}");
        JsonNode ack = client.next();
        assertEquals("unsubscribed", ack.path("type").asText());
        assertEquals("notifications:broadcast", ack.path("data").path("channel").asText());
        client.send("{\"type\":\"subscribe\",\"data\":{\"channel\":\"notifications:broadcast\"}}");
        assertEquals("subscribed", client.next().path("type").asText());
        client.send("{\"type\":\"subscribe\",\"data\":{}}");
        assertEquals("INVALID_MESSAGE", client.next().path("code").asText());
    }

    @Test
    void anUnsubscribedChannelNoLongerDelivers() {
        WsClient client = gateway.connect("u");
        client.send("{\"type\":\"unsubscribe\",\"data\":{\"channel\":\"notifications:broadcast\"}}");
        assertEquals("unsubscribed", client.next().path("type").asText());
        gateway.gateway().notifications().publishFrame("notifications:broadcast", "{\"type\":\"announcement\"}");
        gateway.gateway().notifications().publishFrame("notifications:user:u", "{\"type\":\"marker\"}");
        assertEquals("marker", client.next().path("type").asText());
        assertEquals("announcement", bystander.next().path("type").asText());
    }

    @Test
    void aChannelPayloadThatIsNotAServerFrameIsDroppedCountedAndNeverForwarded() {
        WsClient client = gateway.connect("u");
        long before = gateway.count("realtime.invalid.payloads.dropped");
        for (String bad : List.of("not json", "[]", "{\"no_type\":1}", "{\"type\":7}", "{\"type\":\"x\"} trailing")) {
            gateway.launcher().pubSub().publish("notifications:user:u", bad);
        }
        gateway.launcher().pubSub().publish("notifications:user:u", "{\"type\":\"good\"}");
        assertEquals("good", client.next().path("type").asText());
        assertEquals(before + 5, gateway.count("realtime.invalid.payloads.dropped"));
    }

    @Test
    void aClientThatStopsReadingIsClosedAsASlowConsumerWithoutHurtingOthers() {
        gateway.close();
        gateway = TestInstance.start(java.util.Map.of("SEND_QUEUE_MAX_BYTES", "65536"));
        bystander = gateway.connect("bystander");
        WsClient stalled = WsClient.connect(gateway.notificationsUrl(io.focusmate.realtime.testkit.TestTokens.token(
                "stalled")), java.util.Map.of(), false);
        Await.until("the stalled client to be accepted", () -> gateway.gateway().connectionCount("stalled") == 1);
        String big = "{\"type\":\"bulk\",\"data\":\"" + "x".repeat(8_000) + "\"}";
        // Publish at the pace of a healthy reader: the bystander gets every message while the stalled client's
        // socket buffers, then its queue, fill up.
        int sent = 0;
        while (gateway.gateway().connectionCount("stalled") == 1 && sent < 20_000) {
            gateway.gateway().notifications().publishFrame("notifications:broadcast", big);
            sent++;
            assertEquals("bulk", bystander.next().path("type").asText());
        }
        assertEquals(0, gateway.gateway().connectionCount("stalled"), "the stalled client was never closed");
        assertEquals(1, gateway.count("realtime.queue.overflows"));
        assertFalse(bystander.isClosed());
    }

    /** A JSON frame of exactly {@code bytes} ASCII bytes. */
    private static String jsonOfBytes(int bytes) {
        String head = "{\"type\":\"filler\",\"data\":\"";
        String tail = "\"}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }
}
